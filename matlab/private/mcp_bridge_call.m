function value = mcp_bridge_call(call)
% MCP_BRIDGE_CALL  Call a function with arguments that arrive as data, and return its outputs as JSON text.
%   call.name names the function; call.args is a struct a1..an whose fields jsondecode decoded one by one
%   (never evaluated as code); call.types{k} says what argument k becomes (see convert); call.nargout is how many
%   outputs to ask for (-1: as many as the function declares; 1 when it cannot say, e.g. varargout or a built-in).
%   The value is a JSON array of the outputs. An output jsonencode cannot represent (a handle, an object) becomes a
%   string naming its class and size, so one odd output never loses the others.
  fn = call.name;
  args = {};
  if isfield(call, 'args') && isstruct(call.args)
    args = struct2cell(call.args)';
  end
  types = {};
  if isfield(call, 'types')
    types = call.types;
    if ischar(types)
      types = {types};
    end
  end
  for k = 1:numel(args)
    if k <= numel(types)
      args{k} = convert(args{k}, types{k}, k);
    end
  end
  n = call.nargout;
  if n < 0
    try
      n = nargout(fn);
    catch
      n = 1;  % a built-in cannot say
    end
    if n < 0
      n = 1;  % varargout: the first output
    end
  end
  outputs = cell(1, n);
  if n == 0
    feval(fn, args{:});
  else
    [outputs{:}] = feval(fn, args{:});
  end
  try
    value = jsonencode(outputs);
  catch
    parts = cell(1, n);
    for k = 1:n
      try
        parts{k} = jsonencode(outputs{k});
      catch
        parts{k} = jsonencode(sprintf('<%s %s: not representable as JSON>', class(outputs{k}), ...
          strjoin(arrayfun(@num2str, size(outputs{k}), 'UniformOutput', false), 'x')));
      end
    end
    value = ['[', strjoin(parts, ','), ']'];
  end
end

function v = convert(v, type, k)
% The declared type of argument k; the server checked the JSON's shape against it before sending.
  switch type
    case ''
      % jsondecode's own conventions
    case {'double', 'int'}
      v = double(v);
    case 'double[]'
      v = reshape(double(v), 1, []);
    case 'double[][]'
      if iscell(v)
        error('mcp:call:argument', 'argument %d: the rows of a double[][] must have equal lengths', k);
      end
      v = double(v);
    case 'logical'
      v = logical(v);
    case 'string'
      v = char(v);
    case 'string[]'
      if isempty(v)
        v = cell(1, 0);
      elseif ischar(v)
        v = {v};
      else
        v = reshape(cellstr(v), 1, []);
      end
    case 'cell'
      if isempty(v)
        v = cell(1, 0);
      elseif ~iscell(v)
        v = num2cell(v);
      end
      v = reshape(v, 1, []);
    case 'struct'
      if ~isstruct(v)
        error('mcp:call:argument', 'argument %d must be a JSON object', k);
      end
    otherwise
      error('mcp:call:argument', 'argument %d has an unknown type "%s"', k, type);
  end
end
