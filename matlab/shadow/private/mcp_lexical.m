function p = mcp_lexical(p)
% MCP_LEXICAL  Absolute path with '.' and '..' folded by their spelling, as Octave's cd reads them (link/.. is here).
  p = char(p);
  if isempty(p) || p(1) == '~'
    return;  % resolved by mcp_resolve
  end
  if ~mcp_is_absolute(p)
    p = [pwd, filesep, p];
  end
  if p(1) ~= '/'
    return;  % C:\ style: left to the canonical resolution
  end
  parts = strsplit(p, '/');
  kept = {};
  for k = 1:numel(parts)
    switch parts{k}
      case {'', '.'}
      case '..'
        if ~isempty(kept)
          kept(end) = [];
        end
      otherwise
        kept{end + 1} = parts{k};  %#ok<AGROW>
    end
  end
  p = ['/', strjoin(kept, '/')];
end
