function mcp_bridge_forget(varargin)
% MCP_BRIDGE_FORGET  Clear the named functions from the engine's cache (their next call parses the file again).
%   Its own function: clear(name) clears a variable of that name when the calling workspace has
%   one, and this workspace holds only varargin.
  clear(varargin{:});
end
