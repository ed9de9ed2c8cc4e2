function response = mcp_bridge_dispatch(request)
% MCP_BRIDGE_DISPATCH  Run one request other than eval (mcp_bridge runs those itself) and build its response.
  response = struct('id', request.id, 'ok', true);
  try
    switch request.op
      case 'workspace'
        response.variables = mcp_bridge_workspace(request.max_variables);
      case 'ping'
        response.pong = true;
      case 'reload'
        mcp_bridge_reload(request.reload);
      case 'figures'
        response.figures = mcp_bridge_figures(request.figures);
      case 'variable'
        response.variable = mcp_bridge_variable(request);
      case 'addpath'
        addpath(request.code);  % a folder the server resolved inside a project folder or the session's (data, not code)
      case 'matfile'
        response.variables = mcp_bridge_matfile(request.code, request.max_variables);
      case {'help', 'which', 'toolboxes', 'functions'}
        response.discovery = mcp_bridge_help(request);
      otherwise
        error('mcp:bridge', 'unknown operation "%s"', request.op);
    end
  catch err
    % A failure of the bridge itself, not of user code.
    response.ok = false;
    response.error = struct('identifier', err.identifier, 'message', err.message, 'stack', {{}});
  end
end
