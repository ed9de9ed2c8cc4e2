function body = mcp_bridge_failure(id, failure, file, isCall)
% MCP_BRIDGE_FAILURE  The JSON response for request id whose code raised failure (an MException).
%   file is the file multi-line code ran from ('' for one line evaluated as text): its path is
%   replaced in the message by what the agent knows it as, "the submitted code". isCall: a 'call' op (no text ran).
  response = struct('id', id, 'ok', false);
  try
    message = failure.message;
    if ~isempty(file)
      if strncmp(message, 'source: error sourcing file', 27)
        % source() wraps a parse error in its own message and drops Octave's (line, caret):
        % parsing the file again, only on this path, gets it back.
        try
          __parse_file__(file);
        catch parsed
          message = parsed.message;
        end
      end
      message = strrep(strrep(message, [' of file ', file], ' of the submitted code'), file, 'the submitted code');
    end
    response.error = struct('identifier', failure.identifier, 'message', message, ...
                            'stack', {mcp_bridge_stack(failure.stack, file, isCall)});
  catch err
    % A failure of the bridge itself while describing the error: report that instead.
    response.error = struct('identifier', err.identifier, 'message', err.message, 'stack', {{}});
  end
  body = jsonencode(response);
end
