function handle = mcp_original(name)
% MCP_ORIGINAL  A handle to the function a shadow in this folder hides.
%   Octave implements delete, mkdir, movefile and copyfile as .m files, which builtin() cannot reach: the handle is
%   made once while the shadow folder is off the path, and kept (locked) for the engine's life.
  persistent handles
  mlock();
  if isempty(handles)
    handles = struct();
  end
  if ~isfield(handles, name)
    shadows = fileparts(fileparts(mfilename('fullpath')));
    rmpath(shadows);
    try
      handles.(name) = str2func(name);
    catch err
      addpath(shadows);
      rethrow(err);
    end
    addpath(shadows);
  end
  handle = handles.(name);
end
