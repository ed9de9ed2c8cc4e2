function mcp_refuse(caller, p, unknown)
% MCP_REFUSE  Raise the mcp:confined error for a path outside the session folder, saying what to do instead.
  if unknown
    error('mcp:confined', '%s: this engine does not know its session folder, so it changes no files or folders.', caller);
  end
  error('mcp:confined', ['%s: ''%s'' is outside the session folder (or is the folder itself), and this engine may ' ...
        'only work inside it. Use paths inside the session folder: pwd shows where you are, and cd with no folder ' ...
        'goes back to its top.'], caller, p);
end
