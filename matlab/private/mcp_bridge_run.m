function mcp_bridge_run(file, text, shown)
% MCP_BRIDGE_RUN  Run a script file in the base workspace, as run_file does; errors name it as the agent does.
%   file is the engine's path of a file the server resolved (data, never code); text is its content as the
%   server read it and the code policy checked: a file that changed since is refused rather than run unchecked.
%   shown is the name the agent knows the file by: the error message and the script's stack frames use it.
%   The file runs itself (not a copy) so that mfilename and the file's own line numbers are the script's.
%   Its folder joins the path (when it is not the working folder) for the functions beside it, as MATLAB's
%   run does by changing folder; the working folder stays the session's.
  mcp_bridge_run_check(file, text, shown);
  isOctave = exist('OCTAVE_VERSION', 'builtin') ~= 0;
  quoted = strrep(file, '''', '''''');
  try
    if isOctave
      evalin('base', sprintf('builtin(''source'', ''%s'');', quoted));
    else
      evalin('base', sprintf('run(''%s'');', quoted));
    end
  catch err
    message = err.message;
    if isOctave && strncmp(message, 'source: error sourcing file', 27)
      % source() drops Octave's own parse error (line and caret): parsing the file again gets it back.
      try
        __parse_file__(file);
      catch parsed
        message = parsed.message;
      end
    end
    stack = err.stack;
    for k = 1:numel(stack)
      if strcmp(stack(k).file, file)
        stack(k).name = shown;
      end
    end
    rethrow(struct('message', strrep(message, file, shown), 'identifier', err.identifier, 'stack', stack));
  end
end
