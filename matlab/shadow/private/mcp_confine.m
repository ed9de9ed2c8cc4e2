function target = mcp_confine(caller, p, strict)
% MCP_CONFINE  The real target of path p, or an mcp:confined error when it lies outside the session folders.
%   caller names the function for the message. With strict, the session folder itself is refused too (rmdir,
%   delete and movefile must not take the folder away). Wildcards (* ? [...]) in the last part are judged match by match.
%   Calls made by the engine's installed code may also work in the temporary folder (print's scratch files).
  if nargin < 3
    strict = false;
  end
  p = char(p);
  roots = mcp_session_roots();
  % The engine's own code cleans up its temporary files (print, imwrite, gnuplot): the temporary folder joins the
  % roots for those calls only. Never for cd, since run.m changes to the folder the user names.
  if ~strcmp(caller, 'cd') && mcp_engine_caller(2)
    [temporary, ok] = mcp_canonical(tempdir);
    if ok
      roots{end + 1} = temporary;
    end
  end
  % glob() patterns, as Octave's delete, copyfile and movefile expand them: '[.][.]/x' is '../x'.
  isPattern = @(text) any(text == '*' | text == '?' | text == '[');
  if isPattern(p)
    folder = fileparts(p);
    if isPattern(folder)
      mcp_refuse(caller, p);
    end
    if isempty(folder)
      folder = '.';
    end
    mcp_confine(caller, folder);
    matches = dir(p);
    for k = 1:numel(matches)
      mcp_confine(caller, fullfile(folder, matches(k).name), strict);
    end
    target = p;
    return;
  end
  target = mcp_resolve(p);
  if isempty(roots)
    mcp_refuse(caller, p, 'unknown');
  end
  if ~isempty(target)
    for k = 1:numel(roots)
      root = roots{k};
      if strcmp(target, root)
        if strict
          mcp_refuse(caller, p, 'root');
        end
        return;
      elseif strncmp(target, [root, filesep], numel(root) + 1) || (root(end) == filesep && strncmp(target, root, numel(root)))
        return;
      end
    end
  end
  mcp_refuse(caller, p);
end
