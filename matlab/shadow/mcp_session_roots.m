function roots = mcp_session_roots(folders)
% MCP_SESSION_ROOTS  The folders this engine's code may work in, set once when MatlabMcp starts the engine.
%   mcp_session_roots({folder, ...}) records them (canonical, symlinks resolved) the first time; any later call
%   with an argument fails, so code cannot widen them. mcp_session_roots() returns them, {} before they are set.
%   The first folder is the session folder: cd with no folder goes there. The function is locked so
%   "clear all" cannot forget them.
  persistent stored isSet
  mlock();
  if nargin > 0
    if ~isempty(isSet)
      error('mcp:confined', ['The folders this engine may work in are fixed when it starts and cannot be changed. ' ...
            'Work inside the session folder (pwd shows where you are).']);
    end
    if ischar(folders)
      folders = {folders};
    end
    stored = cell(1, numel(folders));
    for k = 1:numel(folders)
      [stored{k}, ok] = mcp_canonical(folders{k});
      if ~ok
        stored{k} = folders{k};
      end
    end
    isSet = true;
    if nargout == 0
      return;  % set as a statement: leave ans alone (it would hold the host path of the folder)
    end
  end
  roots = stored;
  if isempty(roots)
    roots = {};
  end
end
