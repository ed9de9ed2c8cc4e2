function status = fclose(varargin)
% FCLOSE  Shadowed by MatlabMcp: the engine's two bridge pipes are not the program's to close.
%   fclose('all') closes every file the code opened and leaves the bridge pipes open (closing them
%   would end the session and lose the workspace); closing a bridge pipe by its number is refused.
%   Anything else behaves as usual. It sits beside mcp_bridge, not in shadow/, because it needs the
%   bridge's private handles.
  if nargin ~= 1
    status = builtin('fclose', varargin{:});  % the builtin's own usage error
    return;
  end
  fid = varargin{1};
  if ischar(fid) && strcmpi(fid, 'all')
    status = 0;
    for handle = fopen('all')  % the shadowed fopen leaves the bridge pipes out
      if builtin('fclose', handle) ~= 0
        status = -1;
      end
    end
    return;
  end
  if isnumeric(fid) && any(ismember(fid(:), mcp_bridge_pipes()))
    error('mcp:bridge', ['fclose: handle %d is the MatlabMcp engine''s own pipe, not a file this code opened; ' ...
          'fclose(''all'') closes only your files.'], fid(1));
  end
  status = builtin('fclose', fid);
end
