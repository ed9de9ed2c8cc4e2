function file = mcp_load_file(args)
% MCP_LOAD_FILE  The file a load call reads: its first argument that is not an option ('matlab.mat' when none).
  file = 'matlab.mat';
  for k = 1:numel(args)
    if ischar(args{k}) && ~isempty(args{k}) && args{k}(1) ~= '-'
      file = args{k};
      return;
    end
  end
end
