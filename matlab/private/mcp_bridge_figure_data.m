function data = mcp_bridge_figure_data(fig, maxPoints)
% MCP_BRIDGE_FIGURE_DATA  Describe a figure's axes and plotted data as plain values for jsonencode.
%   data = mcp_bridge_figure_data(fig, maxPoints) reads the graphics objects of figure FIG and
%   returns a neutral description (structs, cells, numbers, char) that the server maps to Plotly
%   (Output/Figures/PlotlyFigure.cs, whose doc comment is the schema). No rendering, no files:
%   only get() on the objects (10-50 us a property in Octave; a simple plot takes a few ms).
%   At most maxPoints data values are kept per figure, shared fairly between the series; a series
%   over its share keeps its first points (lines) or every k-th row and column (grids) and says so
%   with n (its full count) and truncated. NaN and Inf stay as they are (jsonencode writes null).
  if nargin < 2 || isempty(maxPoints)
    maxPoints = 100000;
  end
  if exist('OCTAVE_VERSION', 'builtin') ~= 0
    % Octave keeps every axes directly in the figure (it has no tiledlayout); findall costs ~12 ms, allchild ~0.15.
    axesList = allchild(fig);
    axesList = axesList(strcmp(get(axesList, 'type'), 'axes'));
  else
    axesList = findall(fig, 'type', 'axes');  % MATLAB: tiledlayout nests axes in a layout
  end
  % Octave keeps legends and colorbars as axes with a tag; they describe other axes.
  axesList = axesList(:);
  if isempty(axesList)
    tags = cell(0, 1);  % a figure with no axes: an empty description, not an error
  else
    tags = get(axesList, 'tag');
    if ~iscell(tags)
      tags = {tags};
    end
  end
  isLegend = strcmp(tags, 'legend');
  legendParents = legend_peers(axesList(isLegend));
  axesList = flipud(axesList(~isLegend & ~strcmp(tags, 'colorbar')));  % creation order
  figColormap = get(fig, 'colormap');

  % 1. Read every axes and its series (data untruncated: get() shares the arrays, no copy).
  axesData = cell(1, numel(axesList));
  counts = [];
  owners = zeros(0, 2);
  for a = 1:numel(axesList)
    ax = axesList(a);
    [axesData{a}, seriesCounts] = describe_axes(ax, figColormap, legendParents);
    counts = [counts, seriesCounts]; %#ok<AGROW>
    owners = [owners; [a + zeros(numel(seriesCounts), 1), (1:numel(seriesCounts))']]; %#ok<AGROW>
  end

  % 2. Share the point budget: small series keep everything, the rest split what remains.
  shares = fair_shares(counts, maxPoints);
  truncated = false;
  for k = 1:numel(counts)
    if shares(k) < counts(k)
      a = owners(k, 1);
      s = owners(k, 2);
      axesData{a}.series{s} = truncate_series(axesData{a}.series{s}, shares(k));
      truncated = true;
    end
  end
  data = struct('version', 1, 'maxPoints', maxPoints, 'points', sum(min(shares, counts)), ...
                'total', sum(counts), 'truncated', truncated, 'axes', {axesData});
end

function parents = legend_peers(legends)
% The axes that Octave's visible legends belong to (MATLAB: the axes' Legend property instead).
  parents = zeros(0, 1);
  for k = 1:numel(legends)
    if is_on(get(legends(k), 'visible'))
      peers = getappdata(legends(k), '__axes_handle__');
      parents = [parents; double(peers(:))]; %#ok<AGROW>
    end
  end
end

function tf = has_companion(ax, property)
% MATLAB axes name their Legend and Colorbar; Octave names only its colorbar (__colorbar_handle__).
  tf = false;
  try
    h = get(ax, property);
    tf = ~isempty(h) && is_on(get(h, 'visible'));
  catch
  end
end

function [d, counts] = describe_axes(ax, figColormap, legendParents)
  v = get(ax, {'position', 'units', 'xscale', 'yscale', 'zscale', 'xdir', 'ydir', 'zdir', ...
               'xlim', 'ylim', 'zlim', 'xlimmode', 'ylimmode', 'zlimmode', 'view', 'clim', ...
               'xgrid', 'ygrid', 'zgrid', 'visible', 'xticklabelmode', 'yticklabelmode'});
  position = v{1};
  if ~strcmp(v{2}, 'normalized')
    units = v{2};
    set(ax, 'units', 'normalized');
    position = get(ax, 'position');
    set(ax, 'units', units);
  end
  colormap = figColormap;
  try
    colormap = get(ax, 'colormap');
  catch
  end
  d = struct();
  d.position = position;
  d.title = label_text(get(ax, 'title'));
  d.xlabel = label_text(get(ax, 'xlabel'));
  d.ylabel = label_text(get(ax, 'ylabel'));
  d.zlabel = label_text(get(ax, 'zlabel'));
  d.xscale = v{3};
  d.yscale = v{4};
  d.zscale = v{5};
  d.xdir = v{6};
  d.ydir = v{7};
  d.zdir = v{8};
  d.xlim = v{9};
  d.ylim = v{10};
  d.zlim = v{11};
  d.xlimmode = v{12};
  d.ylimmode = v{13};
  d.zlimmode = v{14};
  d.view = v{15};
  d.clim = v{16};
  d.grid = [is_on(v{17}), is_on(v{18}), is_on(v{19})];
  d.visible = is_on(v{20});
  % Tick labels the code set (names of bars, months): the agent reads them, Plotly shows them at their ticks.
  for k = 1:2
    if strcmp(char(v{20 + k}), 'manual')
      axis = char('w' + k);
      labels = get(ax, [axis 'ticklabel']);
      if ~iscell(labels)
        labels = cellstr(labels);
      end
      d.([axis 'tick']) = get(ax, [axis 'tick']);
      d.([axis 'ticklabel']) = labels(:)';
    end
  end
  d.colormap = round(255 * colormap);  % 0-255: a third of the text of the fractions
  isOctave = exist('OCTAVE_VERSION', 'builtin') ~= 0;
  if isOctave
    d.legend = any(legendParents == double(ax));
    d.colorbar = has_companion(ax, '__colorbar_handle__');
  else
    d.legend = has_companion(ax, 'Legend');
    d.colorbar = has_companion(ax, 'Colorbar');
  end
  kids = flipud(get(ax, 'children'));  % plotting order
  series = {};
  counts = [];
  for k = 1:numel(kids)
    [found, n] = describe_object(kids(k));
    series = [series, found]; %#ok<AGROW>
    counts = [counts, n]; %#ok<AGROW>
  end
  d.series = series;
end

function [series, counts] = describe_object(h)
% One graphics object as zero or more series. Octave draws bar, stem, stairs, errorbar, area,
% scatter and contour as hggroups: told apart by the properties each kind adds.
  series = {};
  counts = [];
  if ~is_on(get(h, 'visible'))
    return;
  end
  type = get(h, 'type');
  if strcmp(type, 'hggroup')
    names = fieldnames(get(h));
    if any(strcmp(names, 'bargroup'))
      type = 'bar';
    elseif any(strcmp(names, 'areagroup'))
      type = 'area';
    elseif any(strcmp(names, 'ldata'))
      type = 'errorbar';
    elseif any(strcmp(names, 'sizedata'))
      type = 'scatter';
    elseif any(strcmp(names, 'contourmatrix'))
      type = 'contour';
    elseif any(strcmp(names, 'baseline')) && any(strcmp(names, 'marker'))
      type = 'stem';
    elseif any(strcmp(names, 'xdata')) && any(strcmp(names, 'marker')) && ~any(strcmp(names, 'udata'))
      type = 'stair';
    end
  end
  s = [];
  switch type
    case {'line', 'functionline'}  % functionline: MATLAB's fplot
      s = line_style(h, struct('kind', 'line'));
      s.x = get(h, 'xdata');
      s.y = get(h, 'ydata');
      try
        z = get(h, 'zdata');
      catch
        z = [];
      end
      if ~isempty(z)
        s.z = z;
      end
    case {'stair', 'stem', 'errorbar'}
      kinds = struct('stair', 'stairs', 'stem', 'stem', 'errorbar', 'errorbar');
      s = line_style(h, struct('kind', kinds.(type)));
      s.x = get(h, 'xdata');
      s.y = get(h, 'ydata');
      if strcmp(type, 'stem')
        s.basevalue = get(h, 'basevalue');
      elseif strcmp(type, 'errorbar')
        if exist('OCTAVE_VERSION', 'builtin') ~= 0
          v = get(h, {'ldata', 'udata', 'xldata', 'xudata'});
        else
          v = get(h, {'YNegativeDelta', 'YPositiveDelta', 'XNegativeDelta', 'XPositiveDelta'});
        end
        s.ldata = v{1};
        s.udata = v{2};
        s.xldata = v{3};
        s.xudata = v{4};
      end
    case 'scatter'
      v = get(h, {'xdata', 'ydata', 'zdata', 'sizedata', 'cdata', 'marker', 'markerfacecolor', ...
                  'markeredgecolor', 'displayname'});
      s = struct('kind', 'scatter', 'name', v{9}, 'x', v{1}, 'y', v{2});
      if ~isempty(v{3})
        s.z = v{3};
      end
      s.sizedata = v{4};
      s.cdata = v{5};
      s.marker = v{6};
      s.markerfacecolor = v{7};
      s.markeredgecolor = v{8};
    case {'bar', 'histogram'}
      if strcmp(type, 'histogram')  % MATLAB only: bars from its edges and counts
        v = get(h, {'binedges', 'values', 'facecolor', 'edgecolor', 'displayname', 'orientation'});
        edges = v{1};
        s = struct('kind', 'bar', 'name', v{5}, 'x', (edges(1:end-1) + edges(2:end)) / 2, ...
                   'y', v{2}, 'horizontal', strcmp(v{6}, 'horizontal'), 'barwidth', 1, ...
                   'barlayout', 'grouped', 'basevalue', 0, 'facecolor', v{3}, 'edgecolor', v{4});
      else
        v = get(h, {'xdata', 'ydata', 'horizontal', 'barwidth', 'barlayout', 'basevalue', ...
                    'facecolor', 'edgecolor', 'displayname'});
        horizontal = is_on(v{3});
        s = struct('kind', 'bar', 'name', v{9}, 'x', v{1}, 'y', v{2}, 'horizontal', horizontal, ...
                   'barwidth', v{4}, 'barlayout', v{5}, 'basevalue', v{6}, 'facecolor', v{7}, ...
                   'edgecolor', v{8});
      end
    case 'area'
      v = get(h, {'xdata', 'ydata', 'basevalue', 'facecolor', 'edgecolor', 'displayname'});
      s = struct('kind', 'area', 'name', v{6}, 'x', v{1}, 'y', v{2}, 'basevalue', v{3}, ...
                 'facecolor', v{4}, 'edgecolor', v{5});
    case 'surface'
      v = get(h, {'xdata', 'ydata', 'zdata', 'facecolor', 'edgecolor', 'displayname', 'cdata'});
      s = struct('kind', 'surface', 'name', v{6}, 'x', v{1}, 'y', v{2}, 'z', v{3}, ...
                 'facecolor', v{4}, 'edgecolor', v{5});
      if ismatrix(v{7}) && ~isempty(v{7}) && ~isequal(v{7}, v{3})
        s.c = double(v{7});  % colour apart from height: pcolor (z = 0), surf(x, y, z, c)
      end
    case 'image'
      v = get(h, {'xdata', 'ydata', 'cdata', 'cdatamapping'});  % images have no displayname
      c = v{3};
      if islogical(c) || isinteger(c)
        if size(c, 3) == 3 && isa(c, 'uint8')
          c = double(c);
        elseif size(c, 3) == 3
          c = 255 * double(c) / double(intmax(class(c)));  % uint16 truecolour
        else
          c = double(c);
        end
      elseif size(c, 3) == 3
        c = 255 * c;  % truecolour doubles are 0..1
      end
      s = struct('kind', 'image', 'name', '', 'x', v{1}, 'y', v{2}, 'c', c, ...
                 'cdatamapping', v{4});
    case 'contour'
      v = get(h, {'xdata', 'ydata', 'zdata', 'levellist', 'fill', 'linecolor', 'displayname'});
      s = struct('kind', 'contour', 'name', v{7}, 'x', v{1}, 'y', v{2}, 'z', v{3}, ...
                 'levels', v{4}, 'fill', is_on(v{5}), 'linecolor', v{6});
    case 'patch'
      v = get(h, {'xdata', 'ydata', 'facecolor', 'edgecolor', 'displayname', 'cdata', 'cdatamapping'});
      s = struct('kind', 'patch', 'name', v{5}, 'x', v{1}, 'y', v{2}, 'facecolor', v{3}, ...
                 'edgecolor', v{4});
      if ischar(v{3}) && ~strcmp(v{3}, 'none')
        s.cdata = v{6};  % 'flat'/'interp': colour from the colormap (one value per face or vertex)
        s.cdatamapping = v{7};
      end
    case 'text'
      position = get(h, 'position');
      s = struct('kind', 'text', 'name', '', 'x', position(1), 'y', position(2), 'string', label_text(h));
    case {'hggroup', 'hgtransform'}
      % A group we do not know: its children are the lines and patches that draw it.
      kids = flipud(get(h, 'children'));
      for k = 1:numel(kids)
        [found, n] = describe_object(kids(k));
        series = [series, found]; %#ok<AGROW>
        counts = [counts, n]; %#ok<AGROW>
      end
      return;
  end
  if isempty(s)
    return;  % text, light and other objects without data
  end
  s = numeric_fields(s);
  series = {s};
  counts = series_points(s);
end

function s = line_style(h, s)
  v = get(h, {'displayname', 'color', 'linestyle', 'linewidth', 'marker', 'markersize', ...
              'markerfacecolor', 'markeredgecolor'});
  s.name = v{1};
  s.color = v{2};
  s.linestyle = v{3};
  s.linewidth = v{4};
  s.marker = v{5};
  s.markersize = v{6};
  s.markerfacecolor = v{7};
  s.markeredgecolor = v{8};
end

function s = numeric_fields(s)
% Logical, integer and single data as double, so JSON numbers stay numbers.
  for f = {'x', 'y', 'z'}
    name = f{1};
    if isfield(s, name) && ~isa(s.(name), 'double') && (isnumeric(s.(name)) || islogical(s.(name)))
      s.(name) = double(s.(name));
    end
  end
end

function n = series_points(s)
  switch s.kind
    case 'image'
      n = size(s.c, 1) * size(s.c, 2);
    case {'surface', 'contour'}
      n = numel(s.z);
    otherwise
      n = numel(s.y);
  end
end

function shares = fair_shares(counts, budget)
% Water-filling: in ascending order each series takes at most an equal part of what is left.
  shares = counts;
  [sorted, order] = sort(counts);
  left = budget;
  for k = 1:numel(sorted)
    share = floor(left / (numel(sorted) - k + 1));
    take = min(sorted(k), share);
    shares(order(k)) = take;
    left = left - take;
  end
end

function s = truncate_series(s, keep)
  s.n = series_points(s);
  s.truncated = true;
  keep = max(keep, 1);
  switch s.kind
    case {'surface', 'contour', 'image'}
      % Grids keep their shape: every k-th row and column.
      if strcmp(s.kind, 'image')
        grid = s.c;
      else
        grid = s.z;
      end
      step = ceil(sqrt(numel(grid(:, :, 1)) / keep));
      rows = 1:step:size(grid, 1);
      cols = 1:step:size(grid, 2);
      s.step = step;
      if strcmp(s.kind, 'image')
        s.c = s.c(rows, cols, :);
        % The image keeps its extent; the corners move to the first and last kept pixel.
        s.x = pixel_extent(s.x, size(grid, 2), cols);
        s.y = pixel_extent(s.y, size(grid, 1), rows);
      else
        s.z = s.z(rows, cols);
        if isfield(s, 'c')
          s.c = s.c(rows, cols);
        end
        s.x = grid_axis(s.x, rows, cols, 2);
        s.y = grid_axis(s.y, rows, cols, 1);
      end
    otherwise
      % Series keep their first points; matrices (patches) their first columns (faces).
      for f = {'x', 'y', 'z', 'ldata', 'udata', 'xldata', 'xudata', 'sizedata', 'cdata'}
        name = f{1};
        if ~isfield(s, name) || numel(s.(name)) <= keep
          continue;
        end
        value = s.(name);
        if strcmp(s.kind, 'patch')
          faces = max(1, floor(keep / size(value, 1)));
          s.(name) = value(:, 1:min(faces, size(value, 2)));
        elseif strcmp(name, 'cdata') && size(value, 2) == 3 && size(value, 1) > 1
          s.(name) = value(1:keep, :);
        else
          s.(name) = value(1:keep);
        end
      end
  end
end

function v = grid_axis(v, rows, cols, dim)
% Surface coordinates: a vector along its own dimension, or a matrix like z.
  if isvector(v) && ~isscalar(v)
    if dim == 2
      v = v(cols);
    else
      v = v(rows);
    end
  elseif ~isempty(v)
    v = v(rows, cols);
  end
end

function v = pixel_extent(v, count, kept)
% Image xdata/ydata give the centres of the first and last pixel.
  if numel(v) < 2 || count < 2
    return;
  end
  step = (v(end) - v(1)) / (count - 1);
  v = [v(1) + (kept(1) - 1) * step, v(1) + (kept(end) - 1) * step];
end

function t = label_text(h)
  t = get(h, 'string');
  if iscell(t)
    t = strjoin(t(:)', char(10));
  elseif size(t, 1) > 1
    t = strjoin(cellstr(t)', char(10));
  end
  if isempty(t)
    t = '';
  end
end

function tf = is_on(v)
% 'on' in Octave (char) and MATLAB (an OnOffSwitchState, which strcmp would call false).
  tf = (ischar(v) || isobject(v)) && strcmp(char(v), 'on') || (islogical(v) && isscalar(v) && v);
end
