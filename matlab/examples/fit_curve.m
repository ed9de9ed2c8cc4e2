function [coefficients, r_squared] = fit_curve(x, y, degree, show_plot)
% FIT_CURVE  Least-squares polynomial fit of y against x; coefficients highest power first, and R^2.
%   [coefficients, r_squared] = fit_curve(x, y, degree, show_plot) fits a polynomial of the given degree
%   (default 1) and, when show_plot is true (the default), draws the data and the fit.
  if nargin < 3 || isempty(degree)
    degree = 1;
  end
  if nargin < 4 || isempty(show_plot)
    show_plot = true;
  end
  if numel(x) ~= numel(y)
    error('fit_curve:size', 'x has %d values but y has %d; give one y per x', numel(x), numel(y));
  end
  if degree < 0 || degree >= numel(x)
    error('fit_curve:degree', 'degree must be between 0 and %d (one less than the number of points)', numel(x) - 1);
  end
  x = x(:);
  y = y(:);
  coefficients = polyfit(x, y, degree);
  fitted = polyval(coefficients, x);
  residual = sum((y - fitted) .^ 2);
  total = sum((y - mean(y)) .^ 2);
  if total == 0
    r_squared = 1;
  else
    r_squared = 1 - residual / total;
  end
  coefficients = reshape(coefficients, 1, []);
  fprintf('degree %d fit of %d points: R^2 = %.4f\n', degree, numel(x), r_squared);
  if show_plot
    figure;
    xs = linspace(min(x), max(x), 200);
    plot(x, y, 'o', xs, polyval(coefficients, xs), '-');
    legend('data', sprintf('degree %d fit', degree));
    title(sprintf('R^2 = %.4f', r_squared));
  end
end
