function [fids, resumed] = mcp_bridge_pipes(requestPipe, responsePipe)
% MCP_BRIDGE_PIPES  Open the request/response pipes once and keep them across interrupts.
%   The function is locked so "clear all" in user code cannot drop the handles. Without arguments
%   it returns the open handles ([] before the bridge started).
  persistent stored
  mlock();
  resumed = ~isempty(stored);
  if ~resumed && nargin == 2
    % Order matters: the server opens the request pipe for writing first, then the response pipe.
    request = fopen(requestPipe, 'r');
    response = fopen(responsePipe, 'w');
    if request < 0 || response < 0
      error('mcp:bridge', 'cannot open bridge pipes');
    end
    stored = [request, response];
    mcp_bridge_disarm();
  end
  fids = stored;
end
