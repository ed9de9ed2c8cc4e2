function variables = mcp_bridge_listing(info, maxVariables)
% MCP_BRIDGE_LISTING  The first maxVariables entries of a whos listing as name, class, size and bytes (never data).
  count = min(numel(info), maxVariables);
  variables = cell(1, count);
  for k = 1:count
    variables{k} = struct('name', info(k).name, 'class', info(k).class, ...
                          'size', info(k).size, 'bytes', info(k).bytes);
  end
end
