function variables = mcp_bridge_matfile(file, maxVariables)
% MCP_BRIDGE_MATFILE  Name, class, size and bytes of the variables a MAT file holds, without loading them.
%   FILE is relative to the session folder (the server checked it); it is data here, never code.
%   whos('-file', ...) reads the file's own listing: nothing reaches the workspace.
  roots = mcp_session_roots();
  if isempty(roots)
    folder = pwd();
  else
    folder = roots{1};
  end
  info = whos('-file', fullfile(folder, file));
  variables = mcp_bridge_listing(info, maxVariables);
end
