function found = mcp_find_code(value, where)
% MCP_FIND_CODE  Where value holds code (function handles, inline functions): a cell array of paths like s.f{2}.
%   where names value itself ('' for the struct of variables load returns, whose fields are names).
  found = {};
  if isa(value, 'function_handle') || isa(value, 'inline')
    found = {where};
  elseif iscell(value)
    % Plain data is skipped with the builtin class tests of cellfun, which stay fast on large cells.
    plain = false(size(value));
    for data = {'double', 'single', 'char', 'logical', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', ...
                'int64', 'uint64'}
      plain = plain | cellfun('isclass', value, data{1});
    end
    for k = reshape(find(~plain), 1, [])
      found = [found, mcp_find_code(value{k}, sprintf('%s{%d}', where, k))]; %#ok<AGROW>
    end
  elseif isstruct(value)
    fields = fieldnames(value);
    for n = 1:numel(value)
      prefix = where;
      if numel(value) > 1
        prefix = sprintf('%s(%d)', where, n);
      end
      for f = 1:numel(fields)
        name = fields{f};
        if ~isempty(prefix)
          name = [prefix, '.', name];
        end
        found = [found, mcp_find_code(value(n).(fields{f}), name)]; %#ok<AGROW>
      end
    end
  elseif isobject(value)
    % Objects keep their data in fields a handle could hide in; one that cannot be opened is refused whole.
    try
      found = mcp_find_code(struct(value), where);
    catch
      found = {where};
    end
  end
end
