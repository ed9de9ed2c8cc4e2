function response = mcp_bridge_eval(request, response)
% MCP_BRIDGE_EVAL  Evaluate user code in the base workspace; its output streams to stdout.
%   Output is bracketed by record-separator markers so the server can attribute it to this request
%   while it is being printed (and keep it if the code is interrupted).
  mcp_bridge_current(request.id);
  fprintf('%smcp:begin:%d\n', char(30), request.id);
  failure = [];
  try
    evalin('base', request.code);
  catch failure
  end
  fprintf('%smcp:end:%d\n', char(30), request.id);
  if exist('OCTAVE_VERSION', 'builtin')
    fflush(stdout);
  end
  mcp_bridge_current([]);
  if ~isempty(failure)
    response.ok = false;
    response.error = struct('identifier', failure.identifier, 'message', failure.message, ...
                            'stack', {mcp_bridge_stack(failure.stack)});
  end
end
