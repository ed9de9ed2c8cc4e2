function mcp_refuse(caller, p, why)
% MCP_REFUSE  Raise the mcp:confined error for a path the engine may not touch, saying what to do instead.
%   why: 'outside' (the default), 'root' (the session folder itself) or 'unknown' (no session folder recorded).
  if nargin < 3
    why = 'outside';
  end
  switch why
    case 'unknown'
      error('mcp:confined', '%s: this engine does not know its session folder, so it changes no files or folders.', caller);
    case 'root'
      error('mcp:confined', ['%s: ''%s'' is the session folder itself, which stays. Name the files or subfolders ' ...
            'inside it instead.'], caller, p);
    otherwise
      error('mcp:confined', ['%s: ''%s'' is outside the session folder, and this engine may only work inside it. ' ...
            'Use paths inside the session folder: pwd shows where you are, and cd with no folder goes back to its top.'], ...
            caller, p);
  end
end
