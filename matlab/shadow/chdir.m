function varargout = chdir(varargin)
% CHDIR  Shadowed by MatlabMcp: the same as cd, which stays within the session folder.
  [varargout{1:nargout}] = cd(varargin{:});
end
