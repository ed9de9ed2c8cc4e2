function mcp_bridge(requestPipe, responsePipe)
% MCP_BRIDGE  Serve MatlabMcp requests over two named pipes (length-prefixed JSON frames).
%   mcp_bridge(requestPipe, responsePipe) opens the pipes on first entry and loops until the
%   server closes them. After an interrupt (SIGINT) the server types the same command again:
%   the pipes come back from a locked store, so the base workspace and the handles survive.
  [fids, resumed] = mcp_bridge_pipes(requestPipe, responsePipe);
  interrupted = mcp_bridge_current();
  if ~isempty(interrupted)
    % Close the output of the request the interrupt unwound, so the server stops collecting for it.
    fprintf('%smcp:end:%d\n', char(30), interrupted);
    if exist('OCTAVE_VERSION', 'builtin')
      fflush(stdout);  % before "ready": the server takes the interrupted call's output once ready arrives
    end
    mcp_bridge_current([]);
  end
  mcp_bridge_send(fids(2), struct('id', 0, 'event', 'ready', 'resumed', resumed));
  while true
    [request, ended] = mcp_bridge_receive(fids(1));
    if ended
      quit(0);  % the server closed its end: nothing more will come
    end
    if ~isempty(request)  % an empty frame is the server's nudge to flush a pending interrupt
      mcp_bridge_send(fids(2), mcp_bridge_dispatch(request));
    end
  end
end
