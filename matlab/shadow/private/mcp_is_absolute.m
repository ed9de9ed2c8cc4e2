function absolute = mcp_is_absolute(p)
% MCP_IS_ABSOLUTE  True for /x, \x and C:\x style paths.
  absolute = ~isempty(p) && (p(1) == '/' || p(1) == '\' || (numel(p) >= 2 && p(2) == ':' && isletter(p(1))));
end
