function name = mcp_load_name(file)
% MCP_LOAD_NAME  The variable name load gives the matrix of a numeric text file: its base name made valid.
  [~, name] = fileparts(file);
  name(~(isletter(name) | (name >= '0' & name <= '9') | name == '_')) = '_';
  if isempty(name) || ~isletter(name(1)) || iskeyword(name)
    name = ['X', name];
  end
end
