function varargout = fopen(varargin)
% FOPEN  Shadowed by MatlabMcp: fopen('all') lists only the files the code opened.
%   The engine's two bridge pipes are left out, so "for f = fopen('all'), fclose(f); end" closes
%   the code's files and nothing else. Every other form behaves as usual. It sits beside
%   mcp_bridge, not in shadow/, because it needs the bridge's private handles.
  if nargin == 1 && ischar(varargin{1}) && strcmpi(varargin{1}, 'all')
    handles = builtin('fopen', 'all');
    varargout{1} = handles(~ismember(handles, mcp_bridge_pipes()));
    return;
  end
  [varargout{1:max(nargout, 1)}] = builtin('fopen', varargin{:});
end
