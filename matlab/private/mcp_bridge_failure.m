function body = mcp_bridge_failure(id, failure)
% MCP_BRIDGE_FAILURE  The JSON response for request id whose code raised failure (an MException).
  response = struct('id', id, 'ok', false);
  try
    response.error = struct('identifier', failure.identifier, 'message', failure.message, ...
                            'stack', {mcp_bridge_stack(failure.stack)});
  catch err
    % A failure of the bridge itself while describing the error: report that instead.
    response.error = struct('identifier', err.identifier, 'message', err.message, 'stack', {{}});
  end
  body = jsonencode(response);
end
