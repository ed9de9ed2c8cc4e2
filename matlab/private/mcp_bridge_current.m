function id = mcp_bridge_current(newId)
% MCP_BRIDGE_CURRENT  The id of the request being evaluated ([] when idle); set it with one argument.
  persistent current
  mlock();
  if nargin > 0
    current = newId;
  end
  id = current;
end
