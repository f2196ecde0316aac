<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AuditDialog</name>
    <message>
        <source>Keep copies together</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep images of the same group together: use the rule &apos;{rule}&apos; for training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copies of one image on both sides of the validation split inflate the accuracy; this rule keeps them on one side</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AutoLeaderboard</name>
    <message>
        <source>Choose Auto (recommended) and press Train: each recipe Auto tries appears here with its cross-validated accuracy on the training images (the validation images are kept for the final check).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto leaderboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every candidate recipe: its cross-validated accuracy with a 95 % interval, the folds it was scored on, its time and status; best first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto is searching (budget {0:.1f} min): rows appear as candidates are scored; Stop keeps the best so far.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto stopped before any candidate was scored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped: Auto kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto chose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} {1} ({2}); its settings are in the fields. Final model: {3}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AutoWiring</name>
    <message>
        <source>Auto leaderboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The recipes Auto tried, best first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Auto chose {0}; its settings are in the fields (press Train to train them again, or choose Auto to search again).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not put back: {0}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CountsSummaryView</name>
    <message>
        <source>“Adjusted” corrects each proportion for the model&apos;s own mistakes, measured on its validation images; it matters when a folder&apos;s mix of classes differs from the training images&apos; (a rare class is over-counted by the errors of the common ones). Bars: adjusted, with 95 % intervals; dots: raw.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proportions per folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each class&apos;s proportion per subfolder: bars adjusted, dots raw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counts per folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One row per subfolder and class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proportion (95 %)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adjusted (95 %)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the first {0} of {1} folders are drawn; the table lists all.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Classify a folder to see the proportions per subfolder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DataCheck</name>
    <message>
        <source>The Data panel now keeps images together by &apos;{rule}&apos;: the next training run splits whole groups.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DisplayText</name>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>{minutes} min {seconds} s</source>
        <translation>{minutes} 分 {seconds} 秒</translation>
    </message>
    <message>
        <source>{hours} h {minutes} min</source>
        <translation>{hours} 小时 {minutes} 分</translation>
    </message>
    <message>
        <source>{count} classes: {names} and {more} more</source>
        <translation>{count} 个类别：{names} 等（另有 {more} 个）</translation>
    </message>
    <message>
        <source>1 class: {names}</source>
        <translation>1 个类别：{names}</translation>
    </message>
    <message>
        <source>{count} classes: {names}</source>
        <translation>{count} 个类别：{names}</translation>
    </message>
    <message>
        <source>fine-tuned {backbone} model “{name}”</source>
        <translation>微调的 {backbone} 模型“{name}”</translation>
    </message>
    <message>
        <source>fine-tuned {backbone}</source>
        <translation>微调的 {backbone}</translation>
    </message>
    <message>
        <source>{method} model “{name}” on {backbone} features</source>
        <translation>基于 {backbone} 特征的{method}模型“{name}”</translation>
    </message>
    <message>
        <source>{method} model on {backbone} features</source>
        <translation>基于 {backbone} 特征的{method}模型</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>The ImageNet weights file “{file}” is not on this computer and could not be downloaded (no internet connection?). On a computer with internet access, download it from {url}, copy it into {folder} — your weights folder (Settings › Weights folder…) — and try again. Or choose EfficientNet-Lite0, whose weights are included and work offline.</source>
        <translation>ImageNet 权重文件“{file}”不在这台电脑上，也无法下载（没有网络连接？）。请在能上网的电脑上从 {url} 下载它，复制到 {folder}（您的权重文件夹：设置 › 权重文件夹…），然后重试。也可以选择 EfficientNet-Lite0，它的权重已包含在内，可离线使用。</translation>
    </message>
    <message>
        <source>The ImageNet weights file “{file}” is not on this computer and could not be downloaded (no internet connection?). On a computer with internet access, download it, copy it into {folder} — your weights folder (Settings › Weights folder…) — and try again. Or choose EfficientNet-Lite0, whose weights are included and work offline.</source>
        <translation>ImageNet 权重文件“{file}”不在这台电脑上，也无法下载（没有网络连接？）。请在能上网的电脑上下载它，复制到 {folder}（您的权重文件夹：设置 › 权重文件夹…），然后重试。也可以选择 EfficientNet-Lite0，它的权重已包含在内，可离线使用。</translation>
    </message>
    <message>
        <source>The ImageNet weights file “{file}” is not on this computer and could not be downloaded (no internet connection?). On a computer with internet access, download it from {url}, copy it into {folder} — Keras&apos; weights folder (or a folder of your own, chosen with Settings › Weights folder…) — and try again. Or choose EfficientNet-Lite0, whose weights are included and work offline.</source>
        <translation>ImageNet 权重文件“{file}”不在这台电脑上，也无法下载（没有网络连接？）。请在能上网的电脑上从 {url} 下载它，复制到 {folder}（Keras 的权重文件夹，或用 设置 › 权重文件夹… 选择的您自己的文件夹），然后重试。也可以选择 EfficientNet-Lite0，它的权重已包含在内，可离线使用。</translation>
    </message>
    <message>
        <source>The ImageNet weights file “{file}” is not on this computer and could not be downloaded (no internet connection?). On a computer with internet access, download it, copy it into {folder} — Keras&apos; weights folder (or a folder of your own, chosen with Settings › Weights folder…) — and try again. Or choose EfficientNet-Lite0, whose weights are included and work offline.</source>
        <translation>ImageNet 权重文件“{file}”不在这台电脑上，也无法下载（没有网络连接？）。请在能上网的电脑上下载它，复制到 {folder}（Keras 的权重文件夹，或用 设置 › 权重文件夹… 选择的您自己的文件夹），然后重试。也可以选择 EfficientNet-Lite0，它的权重已包含在内，可离线使用。</translation>
    </message>
    <message>
        <source>Technical details were written to {path}.</source>
        <translation>技术细节已写入 {path}。</translation>
    </message>
    <message>
        <source>The computer ran out of memory. Try a smaller batch size, a smaller image size or a smaller backbone, close other programs, and train again.</source>
        <translation>电脑内存不足。请尝试更小的批大小、更小的图像尺寸或更小的骨干网络，关闭其他程序，然后重新训练。</translation>
    </message>
    <message>
        <source>A file or folder could not be found: {error}. Check that it still exists (for example that a USB drive or network share is connected).</source>
        <translation>找不到文件或文件夹：{error}。请检查它是否仍然存在（例如 U 盘或网络共享是否已连接）。</translation>
    </message>
    <message>
        <source>Permission denied: {error}. Choose a folder you can write to, or ask your administrator for access.</source>
        <translation>权限不足：{error}。请选择一个您可以写入的文件夹，或向管理员申请访问权限。</translation>
    </message>
    <message>
        <source>The disk is full. Free some space and try again.</source>
        <translation>磁盘已满。请释放一些空间后重试。</translation>
    </message>
    <message>
        <source>Something unexpected went wrong ({kind}: {error}). Try again; if it keeps happening, send the log file to whoever looks after this tool.</source>
        <translation>发生了意外错误（{kind}：{error}）。请重试；如果问题持续出现，请把日志文件发给负责维护此工具的人。</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear the export folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new folder for the model, labels.json and export.json</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear the check folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check images folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional: images to check the export with (default: the validation images)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the model&apos;s validation images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel or close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export into a new folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images to check the export with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a folder to export into.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace the earlier export?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not exported: the earlier export was kept. Choose another folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting as {0} and checking it against the app…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export cancelled; nothing was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not exported — see the message.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not export the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FolderClassifyWindow</name>
    <message>
        <source>Images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summary</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FolderResults</name>
    <message>
        <source>Undecided: {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GroupSetting</name>
    <message>
        <source>Keep images together</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images of the same slide, animal, patient or plate stay on one side of the validation split, so the accuracy is measured on groups the model never saw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>subfolder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>file-name pattern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group pattern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A regular expression searched in each file name; its first group in parentheses names the group, e.g. ^(slide\d+)_ for slide12_cell3.png</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. ^(slide\d+)_</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep images of the same slide, animal or plate together:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a training folder to see the groups this rule finds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for groups…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LabelWindow</name>
    <message>
        <source>Label images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlabelled folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dataset folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlabelled images (only read):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dataset (one folder per class):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uncertain and diverse (default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Most uncertain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start labelling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add class…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Strategy:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the folders, then Start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labelling progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The selected image, large</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning curve and forecast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forecast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forecast for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept all suggestions above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept all suggestions above the threshold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys: 1-9 label the selected image with that class · 0 or Space skip · Z undo · arrows move. Labelling copies the image; the unlabelled folder is never changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the unlabelled folder and the dataset folder first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>labelled images per class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accuracy (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Computing the embeddings and ranking the images…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No forecast yet: every class needs 2 labelled images.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About {n} more labels per class to reach {target} % (from the learning curve so far).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The learning curve is at about {target} % already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too little evidence to forecast {target} % yet: label a few more images per class.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The suggestions could not be computed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No classes yet: add one by name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>({n} more classes have no key)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} labelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>({low}-{high} per class)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>estimated accuracy {a} % ({low}-{high} %)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not label the image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of the new class:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not add the class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept suggestions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No suggestion is at or above {t} %.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy {n} images into their suggested classes ({listing})? Z undoes them all.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Labelling</name>
    <message>
        <source>&amp;Label images…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label images…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label a folder of unlabelled images with suggestions that learn as you go</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LanguageSetting</name>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>The window&apos;s language; it changes when Finetune Studio starts again.</source>
        <translation>窗口的语言；在 Finetune Studio 下次启动时生效。</translation>
    </message>
    <message>
        <source>The language changes when Finetune Studio starts again.</source>
        <translation>语言将在 Finetune Studio 下次启动时更改。</translation>
    </message>
</context>
<context>
    <name>LeaderboardModel</name>
    <message>
        <source>Candidate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CV accuracy (95 % interval)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Choose training folder…</source>
        <translation>选择训练文件夹…</translation>
    </message>
    <message>
        <source>Load sample dataset</source>
        <translation>加载示例数据集</translation>
    </message>
    <message>
        <source>&amp;Save model…</source>
        <translation>保存模型(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Open model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;recent model</source>
        <translation>最近的模型(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>Start fine-tuning with these settings (Ctrl+Enter)</source>
        <translation>用这些设置开始微调（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Show log folder</source>
        <translation>显示日志文件夹</translation>
    </message>
    <message>
        <source>About {app}</source>
        <translation>关于 {app}</translation>
    </message>
    <message>
        <source>Preparing the sample dataset…</source>
        <translation>正在准备示例数据集…</translation>
    </message>
    <message>
        <source>No folder chosen yet.</source>
        <translation>尚未选择文件夹。</translation>
    </message>
    <message>
        <source>Backbone default ({size} px)</source>
        <translation>骨干网络默认值（{size} 像素）</translation>
    </message>
    <message>
        <source>Choose a folder with one subfolder per class, then press Train.</source>
        <translation>请选择一个每个类别一个子文件夹的文件夹，然后点击“训练”。</translation>
    </message>
    <message>
        <source>Ready to train on {images} images in {classes} classes.</source>
        <translation>可以开始训练：{classes} 个类别，共 {images} 张图像。</translation>
    </message>
    <message>
        <source>&lt;b&gt;{app}&lt;/b&gt;&lt;p&gt;Fine-tune a pretrained ImageNet network on your own image folders: pick a backbone, choose how much of it to freeze, train, and try it by dropping images.&lt;/p&gt;</source>
        <translation>&lt;b&gt;{app}&lt;/b&gt;&lt;p&gt;在您自己的图像文件夹上微调预训练的 ImageNet 网络：选择骨干网络，决定冻结多少层，训练，然后拖入图像试一试。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Training is running</source>
        <translation>正在训练</translation>
    </message>
    <message>
        <source>Training is still running. Stop it and quit? The best epoch so far (if one finished) is kept in the app&apos;s runs folder, where File › Open model… finds it.</source>
        <translation>训练仍在进行。要停止并退出吗？目前最好的一轮（如果已有完成的轮）会保存在应用的运行记录文件夹中，可通过 文件 › 打开模型… 找到。</translation>
    </message>
    <message>
        <source>Stopping before quitting…</source>
        <translation>正在停止，随后退出…</translation>
    </message>
</context>
<context>
    <name>MethodChoice</name>
    <message>
        <source>Auto budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How long Auto may search, the final training included (minutes); Stop keeps the best recipe found so far</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto tries embeddings and fine-tuning recipes by cross-validation on the training images only, within the budget, then trains the best. The fields it chooses (backbone among those on this computer, freeze point, learning rate, epochs, augmentation) are filled in when it ends; see the Auto leaderboard tab.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelExport</name>
    <message>
        <source>&amp;Export model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the model as TFLite, ONNX or SavedModel, checked against the app</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This model could not be kept on disk when training ended; save it first with File › Save model…, then export it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelFiles</name>
    <message>
        <source>Save model</source>
        <translation>保存模型</translation>
    </message>
    <message>
        <source>Model folder (*)</source>
        <translation>模型文件夹 (*)</translation>
    </message>
    <message>
        <source>Saving the model to {path}…</source>
        <translation>正在将模型保存到 {path}…</translation>
    </message>
    <message>
        <source> The model is not saved yet; it is still kept in {path}.</source>
        <translation>模型尚未保存；它仍保留在 {path}。</translation>
    </message>
    <message>
        <source> The model is not saved yet.</source>
        <translation>模型尚未保存。</translation>
    </message>
    <message>
        <source>Not saved.</source>
        <translation>未保存。</translation>
    </message>
    <message>
        <source>Could not save the model</source>
        <translation>无法保存模型</translation>
    </message>
    <message>
        <source>Saved the model to {path}</source>
        <translation>已将模型保存到 {path}</translation>
    </message>
    <message>
        <source>Open a saved model (its folder)</source>
        <translation>打开已保存的模型（其文件夹）</translation>
    </message>
    <message>
        <source>Opening {path}…</source>
        <translation>正在打开 {path}…</translation>
    </message>
    <message>
        <source>Opened “{name}”. Drop images on the right to try it.</source>
        <translation>已打开“{name}”。把图像拖到右侧试一试。</translation>
    </message>
    <message>
        <source>Opened {path}</source>
        <translation>已打开 {path}</translation>
    </message>
    <message>
        <source>Could not open the model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <source>Clear list</source>
        <translation>清空列表</translation>
    </message>
</context>
<context>
    <name>ModelInUse</name>
    <message>
        <source>In use: the {method} model{classifier}: validation accuracy {accuracy}.</source>
        <translation>正在使用：{method}模型{classifier}：验证准确率 {accuracy}。</translation>
    </message>
    <message>
        <source>In use: the {method} model{classifier}.</source>
        <translation>正在使用：{method}模型{classifier}。</translation>
    </message>
    <message>
        <source>{percent} % ({low}-{high} %) on 1 validation image</source>
        <translation>{percent}%（{low}-{high}%），基于 1 张验证图像</translation>
    </message>
    <message>
        <source>{percent} % ({low}-{high} %) on {count} validation images</source>
        <translation>{percent}%（{low}-{high}%），基于 {count} 张验证图像</translation>
    </message>
    <message>
        <source> (a rough number: few validation images per class)</source>
        <translation>（粗略数字：每个类别的验证图像较少）</translation>
    </message>
    <message>
        <source> Your last trained model is safe in {path}; File › Save model… copies it to a place you choose.</source>
        <translation>您最后训练的模型安全地保存在 {path}；文件 › 保存模型… 可将它复制到您选择的位置。</translation>
    </message>
    <message>
        <source> Your trained model is safe in {path}; File › Save model… copies it to a place you choose.</source>
        <translation>您训练的模型安全地保存在 {path}；文件 › 保存模型… 可将它复制到您选择的位置。</translation>
    </message>
    <message>
        <source>Trained models kept in {folder} — File › Save model… to choose a place.</source>
        <translation>训练好的模型保存在 {folder}；用 文件 › 保存模型… 选择保存位置。</translation>
    </message>
    <message>
        <source>Trained model kept in {path} — File › Save model… to choose a place.</source>
        <translation>训练好的模型保存在 {path}；用 文件 › 保存模型… 选择保存位置。</translation>
    </message>
    <message>
        <source>The model could not be kept on disk ({error}): save it now with File › Save model….</source>
        <translation>模型无法保存在磁盘上（{error}）：请立即用 文件 › 保存模型… 保存。</translation>
    </message>
    <message>
        <source>The model could not be kept on disk: save it now with File › Save model….</source>
        <translation>模型无法保存在磁盘上：请立即用 文件 › 保存模型… 保存。</translation>
    </message>
    <message>
        <source>your {kind} ({classes}; not saved yet (kept in the app&apos;s runs folder))</source>
        <translation>您的{kind}（{classes}；尚未保存（保留在应用的运行记录文件夹中））</translation>
    </message>
    <message>
        <source>your {kind} ({classes}; not saved yet)</source>
        <translation>您的{kind}（{classes}；尚未保存）</translation>
    </message>
    <message>
        <source>your {kind} ({classes})</source>
        <translation>您的{kind}（{classes}）</translation>
    </message>
    <message>
        <source>the {kind}model “{name}” ({classes})</source>
        <translation>{kind}模型“{name}”（{classes}）</translation>
    </message>
</context>
<context>
    <name>Panels</name>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Use caches (faster)</source>
        <translation>使用缓存（更快）</translation>
    </message>
    <message>
        <source>Use caches</source>
        <translation>使用缓存</translation>
    </message>
    <message>
        <source>Decode each image once and compute the frozen layers once, then train on the stored results. Turn off only to compare speeds or to rule the caches out when something looks wrong.</source>
        <translation>每张图像只解码一次、冻结层只计算一次，然后在保存的结果上训练。只有在比较速度或怀疑缓存出错时才关闭。</translation>
    </message>
    <message>
        <source>Caches</source>
        <translation>缓存</translation>
    </message>
</context>
<context>
    <name>PredictionCard</name>
    <message>
        <source> or </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undecided: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model cannot decide between these classes. On its validation images, such sets held the true class 9 times in 10.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PredictionPanel</name>
    <message>
        <source>The model in use changed, so the earlier predictions were cleared: drop the images again to see what this model says.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResultsPanel</name>
    <message>
        <source>{prefix}accuracy {accuracy} (95 % interval) · top-{k} {top} · mean loss {loss}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rough number: {note}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No validation image of %s was predicted as %s.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunsCompare</name>
    <message>
        <source>off (images split one by one)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>by subfolder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>by file-name pattern {rule}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> ({train} groups training, {val} validation)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (rough: few images per class)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kept together</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunsControl</name>
    <message>
        <source>the backbone {backbone} (not in this version)</source>
        <translation>骨干网络 {backbone}（此版本中没有）</translation>
    </message>
    <message>
        <source>the weights file {path} (gone; ImageNet instead)</source>
        <translation>权重文件 {path}（已不存在；改用 ImageNet 权重）</translation>
    </message>
    <message>
        <source>the data folder {path} (not found)</source>
        <translation>数据文件夹 {path}（未找到）</translation>
    </message>
    <message>
        <source>data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>validation folder</source>
        <translation>验证文件夹</translation>
    </message>
    <message>
        <source>method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>backbone</source>
        <translation>骨干网络</translation>
    </message>
    <message>
        <source>freeze point</source>
        <translation>冻结点</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>warm-up epochs</source>
        <translation>预热轮数</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>image size</source>
        <translation>图像尺寸</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <source>Every training run: compare, use, train again, continue or delete</source>
        <translation>每次训练运行：比较、使用、重新训练、继续或删除</translation>
    </message>
    <message>
        <source>No model to open</source>
        <translation>没有可打开的模型</translation>
    </message>
    <message>
        <source>Run {run} has no model on disk any more (it was at {path}).</source>
        <translation>训练运行 {run} 在磁盘上已没有模型（原位于 {path}）。</translation>
    </message>
    <message>
        <source>Run {run} has no model on disk.</source>
        <translation>训练运行 {run} 在磁盘上没有模型。</translation>
    </message>
    <message>
        <source> Not restored: {missing}.</source>
        <translation>未恢复：{missing}。</translation>
    </message>
    <message>
        <source>The settings of run {run} are in the fields: press Train to train again.</source>
        <translation>训练运行 {run} 的设置已填入各字段：点击“训练”即可重新训练。</translation>
    </message>
    <message>
        <source>Continue run %s</source>
        <translation>继续训练运行 %s</translation>
    </message>
    <message>
        <source>Run %s continues with its own settings, which replace these in the fields:</source>
        <translation>训练运行 %s 将使用它自己的设置继续，这些设置会替换字段中的以下内容：</translation>
    </message>
    <message>
        <source>Continue the run?</source>
        <translation>继续这次训练运行吗？</translation>
    </message>
    <message>
        <source>Run %s was not continued; your settings are unchanged.</source>
        <translation>训练运行 %s 未继续；您的设置保持不变。</translation>
    </message>
    <message>
        <source> The fields show the run&apos;s settings (changed: %s).</source>
        <translation>各字段显示该训练运行的设置（已更改：%s）。</translation>
    </message>
    <message>
        <source>Writing the model of run {run} from its best checkpoint ({epochs} epochs trained)…</source>
        <translation>正在从最佳检查点写出训练运行 {run} 的模型（已训练 {epochs} 轮）…</translation>
    </message>
    <message>
        <source>Continuing run {run} after epoch {done} of {epochs}…</source>
        <translation>正在从第 {done}/{epochs} 轮之后继续训练运行 {run}…</translation>
    </message>
    <message>
        <source>Run in use</source>
        <translation>训练运行正在使用</translation>
    </message>
    <message>
        <source>The model in use is run {run}&apos;s, kept in its folder. Save it with File › Save model… or use another model before deleting the run.</source>
        <translation>正在使用的模型属于训练运行 {run}，保存在它的文件夹中。删除该训练运行之前，请用 文件 › 保存模型… 保存它，或改用其他模型。</translation>
    </message>
    <message>
        <source> Saved models stay where they are ({paths}).</source>
        <translation>已保存的模型保留在原处（{paths}）。</translation>
    </message>
    <message>
        <source> A model you saved elsewhere is never deleted.</source>
        <translation>您保存在其他位置的模型永远不会被删除。</translation>
    </message>
    <message>
        <source>Delete this run ({names})? Its record, checkpoints and the app&apos;s kept copy of its model are removed.</source>
        <translation>删除这次训练运行（{names}）吗？它的记录、检查点以及应用保留的模型副本都会被删除。</translation>
    </message>
    <message>
        <source>Delete these {count} runs ({names})? Its record, checkpoints and the app&apos;s kept copy of its model are removed.</source>
        <translation>删除这 {count} 次训练运行（{names}）吗？它们的记录、检查点以及应用保留的模型副本都会被删除。</translation>
    </message>
    <message>
        <source>Delete runs</source>
        <translation>删除训练运行</translation>
    </message>
    <message>
        <source>Could not delete</source>
        <translation>无法删除</translation>
    </message>
    <message>
        <source>Deleted.</source>
        <translation>已删除。</translation>
    </message>
</context>
<context>
    <name>RunsTab</name>
    <message>
        <source>The run store was damaged: it was kept as {0} and a fresh store was started at {1}, so earlier runs are not listed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 run recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} runs recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No runs recorded yet: every training run appears here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (rough)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TensorBoardSetting</name>
    <message>
        <source>TensorBoard logs…</source>
        <translation>TensorBoard 日志…</translation>
    </message>
    <message>
        <source>Folder for TensorBoard event files</source>
        <translation>TensorBoard 事件文件的文件夹</translation>
    </message>
    <message>
        <source>Each run writes TensorBoard event files to {folder}/&lt;run id&gt;.</source>
        <translation>每次训练运行都会把 TensorBoard 事件文件写入 {folder}/&lt;运行 ID&gt;。</translation>
    </message>
    <message>
        <source>Now: {folder}</source>
        <translation>当前：{folder}</translation>
    </message>
    <message>
        <source>Off: runs write no TensorBoard files</source>
        <translation>关闭：训练运行不写 TensorBoard 文件</translation>
    </message>
    <message>
        <source>Also write each run&apos;s loss, accuracy and learning rate as TensorBoard event files. Now: {folder}</source>
        <translation>同时把每次训练运行的损失、准确率和学习率写成 TensorBoard 事件文件。当前：{folder}</translation>
    </message>
    <message>
        <source>Also write each run&apos;s loss, accuracy and learning rate as TensorBoard event files. Now off.</source>
        <translation>同时把每次训练运行的损失、准确率和学习率写成 TensorBoard 事件文件。当前已关闭。</translation>
    </message>
</context>
<context>
    <name>TrainingControl</name>
    <message>
        <source>No training folder</source>
        <translation>没有训练文件夹</translation>
    </message>
    <message>
        <source>Choose a training folder first: a folder with one subfolder of images per class.</source>
        <translation>请先选择训练文件夹：每个类别一个图像子文件夹。</translation>
    </message>
    <message>
        <source>Keep-together rule</source>
        <translation>同组不拆分规则</translation>
    </message>
    <message>
        <source>Auto: loading the engine, reading the images and computing their features…</source>
        <translation>自动搜索：正在加载引擎、读取图像并计算特征…</translation>
    </message>
    <message>
        <source>Loading the engine and reading the images…</source>
        <translation>正在加载引擎并读取图像…</translation>
    </message>
    <message>
        <source>Loading the engine, reading the images and computing their features…</source>
        <translation>正在加载引擎、读取图像并计算特征…</translation>
    </message>
    <message>
        <source>Comparing {count} methods on the same split, each with its default freeze point…</source>
        <translation>正在同一划分上比较 {count} 种方法，各自使用默认冻结点…</translation>
    </message>
    <message>
        <source>Auto&apos;s candidates fill the Auto leaderboard tab</source>
        <translation>自动搜索的候选方案显示在“自动搜索排行榜”标签页中</translation>
    </message>
    <message>
        <source>Embeddings + a classic classifier trains no epochs: see Results when it is done</source>
        <translation>嵌入特征 + 经典分类器不按轮训练：完成后请查看“结果”</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>准备中…</translation>
    </message>
    <message>
        <source>Stopping Auto: keeping the best recipe so far…</source>
        <translation>正在停止自动搜索：保留目前最好的方案…</translation>
    </message>
    <message>
        <source>Stopping after the current batch…</source>
        <translation>当前批次结束后停止…</translation>
    </message>
    <message>
        <source>Chosen by Auto: filled in when it ends</source>
        <translation>由自动搜索选择：结束后填入</translation>
    </message>
    <message>
        <source>Search recipes within the budget, then train the best (Ctrl+Enter)</source>
        <translation>在时间预算内搜索训练方案，然后训练最好的一个（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Start fine-tuning with these settings (Ctrl+Enter)</source>
        <translation>用这些设置开始微调（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Compute the features and fit {method} (Ctrl+Enter)</source>
        <translation>计算特征并拟合{method}（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Stopped before the first epoch finished — there is no model to keep.</source>
        <translation>在第一轮完成前已停止，没有可保留的模型。</translation>
    </message>
    <message>
        <source>Stopped before the first method finished — nothing to compare.</source>
        <translation>在第一种方法完成前已停止，没有可比较的结果。</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source> The run can be continued from its last finished epoch: select it in the Runs tab and press Continue.</source>
        <translation>这次训练运行可以从最后完成的一轮继续：在“运行记录”标签页中选中它，然后点击“继续”。</translation>
    </message>
    <message>
        <source>Comparison failed</source>
        <translation>比较失败</translation>
    </message>
    <message>
        <source>Training failed</source>
        <translation>训练失败</translation>
    </message>
    <message>
        <source>The engine stopped</source>
        <translation>引擎已停止</translation>
    </message>
</context>
<context>
    <name>TrainingProgress</name>
    <message>
        <source>Warm-up: training the new classifier head, backbone frozen</source>
        <translation>预热：训练新的分类头，骨干网络冻结</translation>
    </message>
    <message>
        <source>Fine-tuning: the unfrozen layers adapt to your images</source>
        <translation>微调：解冻的层正在适应您的图像</translation>
    </message>
    <message>
        <source>Training the classifier head (backbone fully frozen)</source>
        <translation>训练分类头（骨干网络完全冻结）</translation>
    </message>
    <message>
        <source>Training from scratch</source>
        <translation>从头训练</translation>
    </message>
    <message>
        <source>{phase} (learning rate {rate}, {millions} M trainable parameters)…</source>
        <translation>{phase}（学习率 {rate}，{millions} M 个可训练参数）…</translation>
    </message>
    <message>
        <source>Epoch {epoch}/{epochs} · batch {batch}/{batches}</source>
        <translation>第 {epoch}/{epochs} 轮 · 批次 {batch}/{batches}</translation>
    </message>
    <message>
        <source>Epoch {epoch}/{epochs} · batch {batch}/{batches} · about {left} left</source>
        <translation>第 {epoch}/{epochs} 轮 · 批次 {batch}/{batches} · 约剩 {left}</translation>
    </message>
    <message>
        <source>Epoch {epoch} of {epochs}: loss {loss}.</source>
        <translation>第 {epoch}/{epochs} 轮：损失 {loss}。</translation>
    </message>
    <message>
        <source>Epoch {epoch} of {epochs}: loss {loss}, validation accuracy {accuracy} %.</source>
        <translation>第 {epoch}/{epochs} 轮：损失 {loss}，验证准确率 {accuracy}%。</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>validation accuracy {accuracy}</source>
        <translation>验证准确率 {accuracy}</translation>
    </message>
    <message>
        <source>Stopped — kept the best epoch so far: {accuracy} (best epoch {best}) in {took}. {kept} Drop images on the right to try it.</source>
        <translation>已停止，保留了目前最好的一轮：{accuracy}（最佳为第 {best} 轮），用时 {took}。{kept}把图像拖到右侧试一试。</translation>
    </message>
    <message>
        <source>Done: {accuracy} (best epoch {best}) in {took}. {kept} Drop images on the right to try it.</source>
        <translation>完成：{accuracy}（最佳为第 {best} 轮），用时 {took}。{kept}把图像拖到右侧试一试。</translation>
    </message>
    <message>
        <source>Stopped — kept the best epoch so far: {accuracy} in {took}. {kept} Drop images on the right to try it.</source>
        <translation>已停止，保留了目前最好的一轮：{accuracy}，用时 {took}。{kept}把图像拖到右侧试一试。</translation>
    </message>
    <message>
        <source>Done: {accuracy} in {took}. {kept} Drop images on the right to try it.</source>
        <translation>完成：{accuracy}，用时 {took}。{kept}把图像拖到右侧试一试。</translation>
    </message>
    <message>
        <source>Stopped — compared the methods that finished. Using the best, {method} (validation accuracy {accuracy}); double-click a row to use another. {kept}</source>
        <translation>已停止，比较了已完成的方法。正在使用最好的：{method}（验证准确率 {accuracy}）；双击一行可改用其他方法。{kept}</translation>
    </message>
    <message>
        <source>Compared. Using the best, {method} (validation accuracy {accuracy}); double-click a row to use another. {kept}</source>
        <translation>比较完成。正在使用最好的：{method}（验证准确率 {accuracy}）；双击一行可改用其他方法。{kept}</translation>
    </message>
    <message>
        <source>Stopped — compared the methods that finished. Using the best, {method}; double-click a row to use another. {kept}</source>
        <translation>已停止，比较了已完成的方法。正在使用最好的：{method}；双击一行可改用其他方法。{kept}</translation>
    </message>
    <message>
        <source>Compared. Using the best, {method}; double-click a row to use another. {kept}</source>
        <translation>比较完成。正在使用最好的：{method}；双击一行可改用其他方法。{kept}</translation>
    </message>
</context>
<context>
    <name>WeightsFolderSetting</name>
    <message>
        <source>Weights folder…</source>
        <translation>权重文件夹…</translation>
    </message>
    <message>
        <source>Stop using the weights folder</source>
        <translation>停止使用权重文件夹</translation>
    </message>
    <message>
        <source>Folder with pre-placed ImageNet weight files</source>
        <translation>存放 ImageNet 权重文件的文件夹</translation>
    </message>
    <message>
        <source>ImageNet weight files are looked for in {folder} first.</source>
        <translation>将首先在 {folder} 中查找 ImageNet 权重文件。</translation>
    </message>
    <message>
        <source>Now: {folder}</source>
        <translation>当前：{folder}</translation>
    </message>
    <message>
        <source>Not set: weights come from Keras&apos; own folder or a download</source>
        <translation>未设置：权重来自 Keras 自己的文件夹或下载</translation>
    </message>
    <message>
        <source>Folder searched for ImageNet weight files before downloading. {state}</source>
        <translation>下载之前先在此文件夹中查找 ImageNet 权重文件。{state}</translation>
    </message>
</context>
<context>
    <name>WindowLayout</name>
    <message>
        <source>Training curves and results</source>
        <translation>训练曲线和结果</translation>
    </message>
    <message>
        <source>Training curves</source>
        <translation>训练曲线</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Per-class precision and recall, the confusion matrix and the hardest images of the current model, on the validation images</source>
        <translation>当前模型在验证图像上的各类别精确率和召回率、混淆矩阵以及最难的图像</translation>
    </message>
</context>
</TS>
