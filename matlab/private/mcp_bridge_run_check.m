function mcp_bridge_run_check(file, text, shown)
% MCP_BRIDGE_RUN_CHECK  Refuse a file whose content is no longer what the server checked, and put its folder on the path.
%   Shared by mcp_bridge_run (scripts) and mcp_bridge_run_function. The folder is added once, at the front
%   (as addpath does), unless it is the working folder or already on the path, where its place is the user's.
  isOctave = exist('OCTAVE_VERSION', 'builtin') ~= 0;
  if isOctave
    fid = builtin('fopen', file, 'r');
  else
    fid = builtin('fopen', file, 'r', 'n', 'UTF-8');
  end
  if fid < 0
    error('mcp:run_file:unreadable', '%s cannot be read by the engine', shown);
  end
  if isOctave
    current = builtin('fread', fid, Inf, 'uint8=>char')';  % Octave strings are UTF-8 bytes, as the text arrived
  else
    current = builtin('fread', fid, Inf, '*char')';
  end
  builtin('fclose', fid);
  if ~strcmp(current, text)
    error('mcp:run_file:changed', '%s changed after the server read and checked it; run it again', shown);
  end
  folder = fileparts(file);
  if ~strcmp(folder, pwd()) && ~any(strcmp(folder, strsplit(path(), pathsep())))
    addpath(folder);
  end
end
