%% Sensor calibration and analysis pipeline
% Loads raw readings, removes drift, fits a calibration model per channel,
% and summarises the results. Written the way an agent typically writes code:
% many small statements, comments, strings with quotes, transposes, handles.

%{
Notes for maintainers:
  - channels are columns; samples are rows
  - the reference channel is always the last one
  - do not call eval/system here; everything is plain MATLAB
%}

clear; clc;
format long
more off
rng(42);

%% Parameters
params = struct();
params.fs = 250;                 % sampling rate in Hz
params.duration = 12.5;          % seconds
params.nChannels = 6;
params.cutoff = [0.5 40];        % band-pass edges in Hz
params.order = 4;
params.labels = {'Fz', 'Cz', 'Pz', 'Oz', 'T7', 'Ref'};
params.units = "microvolts";
params.verbose = true;
params.outFile = 'calibration_results.mat';
params.title = 'It''s a "quoted" title; not code % nor a comment';

t = (0:1/params.fs:params.duration - 1/params.fs)';
n = numel(t);

%% Synthesise raw data (stands in for a file read)
raw = zeros(n, params.nChannels);
for ch = 1:params.nChannels
    f0 = 3 + 2 * ch;
    drift = 0.05 * ch * t.^2;
    noise = 0.2 * randn(n, 1);
    raw(:, ch) = sin(2 * pi * f0 * t) + drift + noise;
end
raw(:, end) = 0.01 * randn(n, 1);    % reference channel

if params.verbose
    fprintf('Loaded %d samples x %d channels (%s)\n', n, params.nChannels, params.units);
    fprintf('Channels: %s\n', strjoin(params.labels, ', '));
end

%% Remove drift with a polynomial fit per channel
detrended = zeros(size(raw));
coeffs = cell(1, params.nChannels);
for ch = 1:params.nChannels
    p = polyfit(t, raw(:, ch), 2);
    coeffs{ch} = p;
    detrended(:, ch) = raw(:, ch) - polyval(p, t);
end

% Re-reference to the last channel
referenced = detrended(:, 1:end-1) - detrended(:, end);
referencedT = referenced';
energy = sum(referencedT.^2, 2)';

%% Band-pass filter (simple moving-average approximation)
win = round(params.fs / params.cutoff(2));
kernel = ones(win, 1) / win;
smoothed = zeros(size(referenced));
for ch = 1:size(referenced, 2)
    smoothed(:, ch) = conv(referenced(:, ch), kernel, 'same');
end
highpassed = referenced - smoothed;

%% Spectral estimate per channel
nfft = 2^nextpow2(n);
freqs = params.fs / 2 * linspace(0, 1, nfft / 2 + 1)';
spectra = zeros(nfft / 2 + 1, size(highpassed, 2));
for ch = 1:size(highpassed, 2)
    X = fft(highpassed(:, ch), nfft) / n;
    spectra(:, ch) = 2 * abs(X(1:nfft / 2 + 1));
end
[peakAmp, peakIdx] = max(spectra, [], 1);
peakFreq = freqs(peakIdx)';

%% Calibration model: fit amplitude = a * frequency + b
model = @(p, x) p(1) .* x + p(2);
objective = @(p) sum((peakAmp - model(p, peakFreq)).^2);
p0 = [0.1; 0.0];
options = optimset('Display', 'off', 'TolX', 1e-8, 'TolFun', 1e-10, 'MaxIter', 400);
pBest = fminsearch(objective, p0, options);
residuals = peakAmp - model(pBest, peakFreq);
rmse = sqrt(mean(residuals.^2));

%% Per-channel summary
summary = struct('label', {}, 'peakHz', {}, 'amplitude', {}, 'residual', {});
for ch = 1:numel(peakFreq)
    summary(ch).label = params.labels{ch};
    summary(ch).peakHz = peakFreq(ch);
    summary(ch).amplitude = peakAmp(ch);
    summary(ch).residual = residuals(ch);
end

isOutlier = arrayfun(@(s) abs(s.residual) > 2 * rmse, summary);
labels = {summary.label};
outliers = labels(isOutlier);
if isempty(outliers)
    disp('No outlier channels.');
else
    fprintf('Outlier channels: %s\n', strjoin(outliers, ', '));
end

lengths = cellfun(@numel, params.labels);
upperLabels = cellfun(@upper, params.labels, 'UniformOutput', false);
hasZ = cellfun(@(s) any(s == 'z'), params.labels);
names = cellfun('isempty', {summary.label});

%% Statistics helpers
stats = struct();
stats.mean = mean(highpassed, 1);
stats.std = std(highpassed, 0, 1);
stats.skew = mean((highpassed - stats.mean).^3, 1) ./ stats.std.^3;
stats.kurt = mean((highpassed - stats.mean).^4, 1) ./ stats.std.^4;
stats.cov = cov(highpassed);
stats.corr = corrcoef(highpassed);
[V, D] = eig(stats.cov);
[~, order] = sort(diag(D), 'descend');
V = V(:, order);
explained = diag(D(order, order))' / trace(D);

%% Text report
lines = {};
lines{end+1} = sprintf('Calibration report: %s', params.title);
lines{end+1} = sprintf('Sampling rate: %g Hz, duration %.1f s', params.fs, params.duration);
lines{end+1} = sprintf('Model: amplitude = %.4f * f + %.4f (RMSE %.4g)', pBest(1), pBest(2), rmse);
for ch = 1:numel(summary)
    lines{end+1} = sprintf('  %-4s peak %6.2f Hz  amp %8.4f  res %+8.4f', ...
        summary(ch).label, summary(ch).peakHz, summary(ch).amplitude, summary(ch).residual);
end
lines{end+1} = sprintf('Explained variance (PC1..PC3): %s', mat2str(explained(1:3), 3));
report = strjoin(lines, newline);
if params.verbose
    disp(report);
end

%% Quality checks with try/catch
try
    assert(all(isfinite(pBest)), 'calib:nonfinite', 'fit produced non-finite parameters');
    assert(rmse < 10, 'calib:rmse', 'RMSE %g too large', rmse);
catch err
    warning('calib:check', 'Quality check failed: %s (%s)', err.message, err.identifier);
end

%% Windowed features
winLen = params.fs;                   % one-second windows
hop = round(winLen / 2);
starts = 1:hop:(n - winLen + 1);
features = zeros(numel(starts), size(highpassed, 2), 3);
for w = 1:numel(starts)
    seg = highpassed(starts(w):starts(w) + winLen - 1, :);
    features(w, :, 1) = rms(seg);
    features(w, :, 2) = max(seg) - min(seg);
    features(w, :, 3) = sum(abs(diff(sign(seg))), 1) / 2;
end
featureNames = ["rms", "peak-to-peak", "zero-crossings"];
meanFeatures = squeeze(mean(features, 1))';

%% Thresholding with logical indexing
threshold = median(features(:, :, 1), 'all') * 1.5;
active = features(:, :, 1) > threshold;
activeFraction = mean(active, 1);
[~, mostActive] = max(activeFraction);
fprintf('Most active channel: %s (%.0f%% of windows)\n', params.labels{mostActive}, 100 * activeFraction(mostActive));

%% Switch on a mode string
mode = 'robust';
switch lower(mode)
    case {'fast', 'quick'}
        scale = 1;
    case 'robust'
        scale = 1.4826 * median(abs(highpassed - median(highpassed)));
    otherwise
        error('calib:mode', 'Unknown mode "%s"', mode);
end
normalised = highpassed ./ scale;

%% While loop with early exit
k = 0;
tol = 1e-6;
delta = inf;
estimate = 1;
while delta > tol && k < 100
    k = k + 1;
    next = 0.5 * (estimate + 2 / estimate);
    delta = abs(next - estimate);
    estimate = next;
end
fprintf('sqrt(2) ~ %.10f after %d iterations\n', estimate, k);

%% Cell arrays and containers
results = cell(numel(summary), 2);
for ch = 1:numel(summary)
    results{ch, 1} = summary(ch).label;
    results{ch, 2} = [summary(ch).peakHz, summary(ch).amplitude]';
end
flat = [results{:, 2}]';
byLabel = containers.Map(params.labels(1:end-1), num2cell(peakFreq));
keysSorted = sort(keys(byLabel));
valuesOut = cellfun(@(key) byLabel(key), keysSorted);

%% Matrix algebra
A = [4 -2 1; -2 4 -2; 1 -2 4];
b = [11; -16; 17];
x = A \ b;
residualNorm = norm(A * x - b);
[L, U, P] = lu(A);
R = chol(A);
Ainv = inv(A);
detA = det(A);
condA = cond(A);
B = A';
C = A.' * B;
D2 = kron(eye(2), A(1:2, 1:2));
check = isequal(size(D2), [4 4]);

%% String processing
sentence = 'The quick brown fox jumps over the lazy dog';
words = strsplit(sentence, ' ');
wordLengths = cellfun('length', words);
longest = words{wordLengths == max(wordLengths)};
capitalised = regexprep(sentence, '(\<\w)', '${upper($1)}');
vowels = sum(ismember(lower(sentence), 'aeiou'));
reversed = fliplr(sentence);
parts = regexp('a1b22c333', '\d+', 'match');
numbers = str2double(parts);
joined = strjoin(cellfun(@(s) ['<' s '>'], words, 'UniformOutput', false), '');
msg = "double-quoted with ""escaped"" quotes";

%% Save results (relative path inside the session folder)
out = struct('params', params, 'pBest', pBest, 'rmse', rmse, 'summary', summary);
save(params.outFile, '-struct', 'out');
info = dir(params.outFile);
fprintf('Saved %s (%d bytes)\n', info.name, info.bytes);

%% Local helper as an anonymous function
zscore_ = @(v) (v - mean(v)) ./ std(v);
z = zscore_(peakAmp);
clip = @(v, lo, hi) min(max(v, lo), hi);
zc = clip(z, -2, 2);
disp(zc')

%% Figures (headless)
fig = figure('Visible', 'off', 'Name', 'Calibration', 'NumberTitle', 'off');
subplot(2, 2, 1);
plot(t, raw(:, 1), 'Color', [0.2 0.4 0.8], 'LineWidth', 1.2);
xlabel('time (s)'); ylabel(sprintf('amplitude (%s)', params.units));
title('Raw channel 1');
grid on
subplot(2, 2, 2);
plot(freqs, spectra(:, 1:3));
xlim([0 params.fs / 2]);
legend(params.labels(1:3), 'Location', 'northeast');
title('Spectra');
subplot(2, 2, 3);
scatter(peakFreq, peakAmp, 36, 'filled');
hold on
fplot(@(f) model(pBest, f), [min(peakFreq) max(peakFreq)], '--k');
hold off
title(sprintf('Model fit, RMSE = %.3g', rmse));
subplot(2, 2, 4);
imagesc(stats.corr);
colorbar;
axis square
set(gca, 'XTick', 1:numel(labels), 'XTickLabel', labels, 'YTick', 1:numel(labels), 'YTickLabel', labels);
title('Channel correlation');
print(fig, 'calibration_overview.png', '-dpng', '-r100');
close(fig);

%% Unit-style checks
tests = {
    @() assert(abs(estimate - sqrt(2)) < 1e-9)
    @() assert(numel(summary) == params.nChannels - 1)
    @() assert(all(lengths > 0))
    @() assert(isequal(size(V), [5 5]))
};
passed = 0;
for k = 1:numel(tests)
    try
        tests{k}();
        passed = passed + 1;
    catch failure
        fprintf(2, 'check %d failed: %s\n', k, failure.message);
    end
end
fprintf('%d of %d checks passed\n', passed, numel(tests));

%% Tidy up
vars = who;
keep = {'out', 'report', 'summary', 'pBest', 'rmse'};
clearList = setdiff(vars, keep);
if ~isempty(clearList)
    clear(clearList{:});
end
disp('done')
