function varargout = load(varargin)
% LOAD  Shadowed by MatlabMcp: a data file may not bring code (function handles) into the session.
%   Loads as the builtin does, every syntax and format, but into one value first. A file holding a
%   function handle or an inline function anywhere (a variable, a struct field, a cell, nested) is
%   refused, naming where, and nothing is assigned: a handle read from a file would run its body,
%   which the code policy never saw, as soon as the code called it.
  loaded = builtin('load', varargin{:});
  if isstruct(loaded)
    found = mcp_find_code(loaded, '');
  else
    found = mcp_find_code(loaded, 'the loaded value');
  end
  if ~isempty(found)
    error('mcp:load', ['load: %s holds code (a function handle or inline function) in %s; nothing was loaded. ' ...
          'A function saved in a data file is not run here: save only data (numbers, text, structs, cells), ' ...
          'or load just the data variables (load(file, ''name'')) and create functions in the code itself.'], ...
          mcp_load_file(varargin), strjoin(found, ', '));
  end
  if nargout > 0
    varargout{1} = loaded;
  elseif isstruct(loaded)
    names = fieldnames(loaded);
    for k = 1:numel(names)
      assignin('caller', names{k}, loaded.(names{k}));
    end
  else
    % A plain numeric text file: the builtin names the variable after the file.
    assignin('caller', mcp_load_name(mcp_load_file(varargin)), loaded);
  end
end
