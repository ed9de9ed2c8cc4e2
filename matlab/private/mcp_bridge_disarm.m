function mcp_bridge_disarm()
% MCP_BRIDGE_DISARM  Stop the launcher's start-up watchdog once the pipes are open.
%   The watchdog kills an engine stuck opening its pipes (its server died during start-up).
  watchdog = str2double(getenv('MCP_BRIDGE_WATCHDOG'));
  if isnan(watchdog)
    return;
  end
  if exist('OCTAVE_VERSION', 'builtin')
    kill(watchdog, 9);
  else
    system(sprintf('kill -9 %d', watchdog));
  end
end
