function target = mcp_resolve(p)
% MCP_RESOLVE  Where path p really leads: canonical for the part that exists, spelled out for the rest.
%   Returns '' when that cannot be told (a dangling symlink, ~user), which callers treat as outside.
  if isempty(p)
    p = '.';
  end
  if p(1) == '~'
    if numel(p) > 1 && p(2) ~= '/' && p(2) ~= filesep
      target = '';
      return;
    end
    p = [getenv('HOME'), p(2:end)];
  end
  if ~mcp_is_absolute(p)
    p = [pwd, filesep, p];
  end
  [target, ok] = mcp_canonical(p);
  if ok
    return;
  end
  if exist('OCTAVE_VERSION', 'builtin') ~= 0
    [~, err] = lstat(p);
    if err == 0
      target = '';  % a symlink whose target does not exist: writing through it would land who knows where
      return;
    end
  end
  [parent, name, ext] = fileparts(p);
  name = [name, ext];
  if isempty(parent) || strcmp(parent, p)
    target = p;
    return;
  end
  target = mcp_resolve(parent);
  if isempty(target)
    return;
  end
  switch name
    case {'', '.'}
    case '..'
      target = fileparts(target);
    otherwise
      if target(end) ~= '/' && target(end) ~= filesep
        target = [target, filesep];
      end
      target = [target, name];
  end
end
