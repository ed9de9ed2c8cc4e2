function varargout = matfile(varargin) %#ok<STOUT>
% MATFILE  Shadowed by MatlabMcp: reading variables through a matfile object would skip load's check for code.
  error('mcp:load', ['matfile is not available in MatlabMcp engines: use load(file, ''name'') to read variables; ' ...
        'it refuses files that hold function handles (code).']);
end
