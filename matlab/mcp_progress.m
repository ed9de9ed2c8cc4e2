function mcp_progress(value, message)
% MCP_PROGRESS  Report progress of the running code to the MCP client.
%   mcp_progress(0.25, 'meshing') or mcp_progress(25, 'meshing'): a fraction (0-1) or a percentage
%   (above 1, up to 100) and an optional message. Outside the MatlabMcp server it does nothing.
  if nargin < 2
    message = '';
  end
  id = mcp_bridge_current();
  fids = mcp_bridge_pipes();
  if isempty(id) || isempty(fids)
    return;
  end
  fraction = double(value);
  if fraction > 1
    fraction = fraction / 100;
  end
  mcp_bridge_send(fids(2), struct('id', id, 'event', 'progress', 'progress', fraction, 'message', char(message)));
end
