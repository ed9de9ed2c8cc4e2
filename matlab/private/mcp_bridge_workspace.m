function variables = mcp_bridge_workspace(maxVariables)
% MCP_BRIDGE_WORKSPACE  Name, class, size and bytes of base-workspace variables (never their data).
  info = evalin('base', 'whos');
  count = min(numel(info), maxVariables);
  variables = cell(1, count);
  for k = 1:count
    variables{k} = struct('name', info(k).name, 'class', info(k).class, ...
                          'size', info(k).size, 'bytes', info(k).bytes);
  end
end
