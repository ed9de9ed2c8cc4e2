function response = mcp_bridge_eval(request, response)
% MCP_BRIDGE_EVAL  Evaluate user code in the base workspace, capturing output even when it fails.
  code = request.code;
  failure = [];
  % evalc keeps what was printed before an error because the error is caught inside it.
  output = evalc('try, evalin(''base'', code); catch failure, end');
  response.output = output;
  if ~isempty(failure)
    response.ok = false;
    response.error = struct('identifier', failure.identifier, 'message', failure.message, ...
                            'stack', {mcp_bridge_stack(failure.stack)});
  end
end
