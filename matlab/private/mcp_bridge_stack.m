function frames = mcp_bridge_stack(stack)
% MCP_BRIDGE_STACK  The user's part of an error stack: frames up to the bridge's own are kept.
%   A cell array, because Octave 7's jsonencode emits invalid JSON for an empty struct array.
  frames = {};
  for k = 1:numel(stack)
    [~, name] = fileparts(stack(k).file);
    if strncmp(name, 'mcp_bridge', 10)
      break;
    end
    column = 0;
    if isfield(stack, 'column')
      column = stack(k).column;
    end
    frames{end + 1} = struct('name', stack(k).name, 'line', stack(k).line, 'column', column); %#ok<AGROW>
  end
end
