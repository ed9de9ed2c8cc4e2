function [canonical, ok] = mcp_canonical(p)
% MCP_CANONICAL  The absolute path of an existing file or folder, with symlinks, '.' and '..' resolved.
%   ok is false when p does not exist (a dangling symlink counts as not existing).
  if exist('OCTAVE_VERSION', 'builtin') ~= 0
    [canonical, status] = canonicalize_file_name(p);
    ok = status == 0 && ~isempty(canonical);
  else
    file = java.io.File(p);
    ok = file.exists();
    canonical = char(file.getCanonicalPath());
  end
end
