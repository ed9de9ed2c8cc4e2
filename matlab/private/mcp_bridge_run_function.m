function varargout = mcp_bridge_run_function(file, text, shown, varargin)
% MCP_BRIDGE_RUN_FUNCTION  Call the function a file defines with arguments that arrived as data, as run_file does.
%   file, text and shown as in mcp_bridge_run. The function is the one on the path under the file's name;
%   when another file of that name comes first (the working folder, an earlier path entry), that is said
%   rather than the other one run. A file whose text differs from the last one called here is parsed again:
%   Octave checks a function file's time only at its prompt, which the bridge never shows.
  persistent called
  mcp_bridge_run_check(file, text, shown);
  [~, name] = fileparts(file);
  isOctave = exist('OCTAVE_VERSION', 'builtin') ~= 0;
  found = mcp_bridge_run_which(name);
  if ~mcp_bridge_run_same(found, file, isOctave)
    rehash();  % a file that just appeared: the path's folder cache has not seen it yet
    found = mcp_bridge_run_which(name);
  end
  if ~mcp_bridge_run_same(found, file, isOctave)
    here = [pwd(), filesep()];
    if isempty(found)
      found = 'no file';
    elseif strncmp(found, here, numel(here))
      found = sprintf('%s in your session folder', found(numel(here) + 1:end));  % the working folder comes first
    end
    error('mcp:run_file:shadowed', '%s is not what ''%s'' calls (that is %s): rename one of the two files', ...
      shown, name, found);
  end
  if isempty(called) || numel(called) > 64
    called = struct('file', {}, 'text', {});
  end
  stamp = text;
  if isOctave
    stamp = hash('sha256', text);  % what is kept per file stays small (MATLAB has no hash(): the text itself)
  end
  k = find(strcmp({called.file}, file), 1);
  if isempty(k) || ~strcmp(called(k).text, stamp)
    mcp_bridge_forget(name);
    if isempty(k)
      k = numel(called) + 1;
    end
    called(k).file = file;
    called(k).text = stamp;
  end
  if nargout == 0
    feval(name, varargin{:});
  else
    [varargout{1:nargout}] = feval(name, varargin{:});
  end
end

function same = mcp_bridge_run_same(found, file, isOctave)
  same = strcmp(found, file);
  if ~same && isOctave && ~isempty(found)
    same = strcmp(canonicalize_file_name(found), canonicalize_file_name(file));
  end
end

function found = mcp_bridge_run_which(varargin)
  % which() names a variable of the calling workspace before a function: this workspace holds only varargin.
  found = which(varargin{1});
end
