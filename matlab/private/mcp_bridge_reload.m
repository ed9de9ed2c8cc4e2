function mcp_bridge_reload(changes)
% MCP_BRIDGE_RELOAD  Make the engine forget cached functions whose files changed, so their next call reads the file.
%   changes.names: the functions to forget; changes.all: a private, class or package function
%   changed, which only clearing every function reaches; changes.rehash: files appeared or
%   vanished, which the load path's folder cache must see (~5 ms, so only then).
  if changes.rehash
    rehash();
  end
  if changes.all
    clear('functions');
  elseif ~isempty(changes.names)
    mcp_bridge_forget(changes.names{:});
  end
end
