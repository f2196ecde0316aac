<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AuditDialog</name>
    <message>
        <source>Check my data</source>
        <translation>检查我的数据</translation>
    </message>
    <message>
        <source>Check status</source>
        <translation>检查状态</translation>
    </message>
    <message>
        <source>Check progress</source>
        <translation>检查进度</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the check</source>
        <translation>停止检查</translation>
    </message>
    <message>
        <source>Keep copies together</source>
        <translation>让副本保持在一起</translation>
    </message>
    <message>
        <source>Keep images of the same group together: use the rule &apos;{rule}&apos; for training</source>
        <translation>让同一分组的图像保持在一起：训练时使用规则“{rule}”</translation>
    </message>
    <message>
        <source>Copies of one image on both sides of the validation split inflate the accuracy; this rule keeps them on one side</source>
        <translation>同一图像的副本同时出现在验证划分的两侧会虚高准确率；此规则让它们留在同一侧</translation>
    </message>
</context>
<context>
    <name>AuditView</name>
    <message>
        <source>Duplicates</source>
        <translation>重复图像</translation>
    </message>
    <message>
        <source>Suspected wrong labels</source>
        <translation>疑似标注错误</translation>
    </message>
    <message>
        <source>Outliers</source>
        <translation>离群图像</translation>
    </message>
    <message>
        <source>exact copy</source>
        <translation>完全相同的副本</translation>
    </message>
    <message>
        <source>near copy (resized, re-encoded or cropped)</source>
        <translation>近似副本（缩放、重新编码或裁剪过）</translation>
    </message>
    <message>
        <source>in training and validation: inflates validation accuracy</source>
        <translation>同时在训练和验证中：会虚高验证准确率</translation>
    </message>
    <message>
        <source>in different classes: conflicting labels</source>
        <translation>在不同类别中：标注相互矛盾</translation>
    </message>
    <message>
        <source>twice in one class: counts double in training</source>
        <translation>在同一类别中出现两次：训练时被重复计算</translation>
    </message>
    <message>
        <source>Notes about the check</source>
        <translation>关于检查的说明</translation>
    </message>
    <message>
        <source>Double-click an image to open it</source>
        <translation>双击图像即可打开</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Open the image</source>
        <translation>打开图像</translation>
    </message>
    <message>
        <source>Exclude from training</source>
        <translation>从训练中排除</translation>
    </message>
    <message>
        <source>Leave this image out of training; your folder is not changed (Include all again, in the Data panel, undoes it)</source>
        <translation>训练时不使用此图像；您的文件夹不会被更改（在“数据”面板中点击“全部重新纳入”即可撤销）</translation>
    </message>
    <message>
        <source>Move to class…</source>
        <translation>移到类别…</translation>
    </message>
    <message>
        <source>Move to class</source>
        <translation>移到类别</translation>
    </message>
    <message>
        <source>Move this file into another class folder (asks first)</source>
        <translation>将此文件移到另一个类别文件夹（会先询问）</translation>
    </message>
    <message>
        <source>Nothing found.</source>
        <translation>未发现问题。</translation>
    </message>
    <message>
        <source>{count} file could not be read ({names}).</source>
        <translation>{count} 个文件无法读取（{names}）。</translation>
    </message>
    <message>
        <source>{count} files could not be read ({names}).</source>
        <translation>{count} 个文件无法读取（{names}）。</translation>
    </message>
    <message>
        <source>{title} (the {shown} most likely shown)</source>
        <translation>{title}（显示可能性最高的 {shown} 项）</translation>
    </message>
    <message>
        <source>Duplicates: {count} group of copies</source>
        <translation>重复图像：{count} 组副本</translation>
    </message>
    <message>
        <source>Duplicates: {count} groups of copies</source>
        <translation>重复图像：{count} 组副本</translation>
    </message>
    <message>
        <source>Suspected wrong labels: {count} image</source>
        <translation>疑似标注错误：{count} 张图像</translation>
    </message>
    <message>
        <source>Suspected wrong labels: {count} images</source>
        <translation>疑似标注错误：{count} 张图像</translation>
    </message>
    <message>
        <source>Outliers: {count} image</source>
        <translation>离群图像：{count} 张</translation>
    </message>
    <message>
        <source>Outliers: {count} images</source>
        <translation>离群图像：{count} 张</translation>
    </message>
    <message>
        <source>{name}
Group {group}: {kind}, {scope}</source>
        <translation>{name}
第 {group} 组：{kind}，{scope}</translation>
    </message>
    <message>
        <source>{name}
labelled {given} → {suggested} (score {score:.2f})</source>
        <translation>{name}
标注为 {given} → 建议 {suggested}（得分 {score:.2f}）</translation>
    </message>
    <message>
        <source>{name}
far from every class (score {score:.1f})</source>
        <translation>{name}
与所有类别都相差很远（得分 {score:.1f}）</translation>
    </message>
    <message>
        <source>{name} (validation)</source>
        <translation>{name}（验证）</translation>
    </message>
    <message>
        <source>Could not exclude the image</source>
        <translation>无法排除该图像</translation>
    </message>
    <message>
        <source>{item} — excluded from training</source>
        <translation>{item} — 已从训练中排除</translation>
    </message>
    <message>
        <source>Move “{name}” (now in “{current}”) into which class?</source>
        <translation>将“{name}”（当前在“{current}”中）移到哪个类别？</translation>
    </message>
    <message>
        <source>Move the file?</source>
        <translation>移动文件？</translation>
    </message>
    <message>
        <source>Move “{name}” into the folder “{choice}”? This changes your data folder.</source>
        <translation>将“{name}”移到文件夹“{choice}”中？这会更改您的数据文件夹。</translation>
    </message>
    <message>
        <source>The file was not moved</source>
        <translation>文件未移动</translation>
    </message>
    <message>
        <source>{item} — moved to {class_name}</source>
        <translation>{item} — 已移到 {class_name}</translation>
    </message>
</context>
<context>
    <name>AutoLeaderboard</name>
    <message>
        <source>freeze {layer}</source>
        <translation>冻结 {layer}</translation>
    </message>
    <message>
        <source>lr {rate:.2g}</source>
        <translation>学习率 {rate:.2g}</translation>
    </message>
    <message>
        <source>{epochs} epochs</source>
        <translation>{epochs} 轮</translation>
    </message>
    <message>
        <source>zoom + contrast</source>
        <translation>缩放 + 对比度</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>layer {layer}, C={c:g}</source>
        <translation>层 {layer}，C={c:g}</translation>
    </message>
    <message>
        <source>{accuracy:.1f} %</source>
        <translation>{accuracy:.1f}%</translation>
    </message>
    <message>
        <source>{accuracy:.1f} % ({low:.0f}-{high:.0f} %)</source>
        <translation>{accuracy:.1f}%（{low:.0f}-{high:.0f}%）</translation>
    </message>
    <message>
        <source>Choose Auto (recommended) and press Train: each recipe Auto tries appears here with its cross-validated accuracy on the training images (the validation images are kept for the final check).</source>
        <translation>选择“自动搜索”（推荐）并点击“训练”：自动搜索尝试的每个方案都会显示在这里，并附带其在训练图像上的交叉验证准确率（验证图像留作最终检查）。</translation>
    </message>
    <message>
        <source>Auto leaderboard</source>
        <translation>自动搜索排行榜</translation>
    </message>
    <message>
        <source>Every candidate recipe: its cross-validated accuracy with a 95 % interval, the folds it was scored on, its time and status; best first</source>
        <translation>每个候选方案：交叉验证准确率及其 95% 置信区间、评分所用的折数、用时和状态；最好的排在最前</translation>
    </message>
    <message>
        <source>Auto is searching (budget {minutes:.1f} min): rows appear as candidates are scored; Stop keeps the best so far.</source>
        <translation>自动搜索进行中（时间预算 {minutes:.1f} 分钟）：候选方案评分后即显示在此；点击“停止”将保留目前最好的方案。</translation>
    </message>
    <message>
        <source>Stopped: Auto kept {name} ({scheme}); its settings are in the fields. Final model: {refit}.</source>
        <translation>已停止：自动搜索保留了 {name}（{scheme}）；其设置已填入各字段。最终模型：{refit}。</translation>
    </message>
    <message>
        <source>Auto chose {name} ({scheme}); its settings are in the fields. Final model: {refit}.</source>
        <translation>自动搜索选择了 {name}（{scheme}）；其设置已填入各字段。最终模型：{refit}。</translation>
    </message>
    <message>
        <source>Auto stopped before any candidate was scored.</source>
        <translation>自动搜索在任何候选方案评分之前就已停止。</translation>
    </message>
</context>
<context>
    <name>AutoWiring</name>
    <message>
        <source>Auto leaderboard</source>
        <translation>自动搜索排行榜</translation>
    </message>
    <message>
        <source>The recipes Auto tried, best first</source>
        <translation>自动搜索尝试过的方案，最佳的排在最前</translation>
    </message>
    <message>
        <source>{status} Auto chose {name}; its settings are in the fields (press Train to train them again, or choose Auto to search again). Not put back: {missing}.</source>
        <translation>{status} 自动搜索选择了 {name}；其设置已填入各字段（按“训练”以这些设置重新训练，或选择“自动搜索”重新搜索）。未能恢复：{missing}。</translation>
    </message>
    <message>
        <source>{status} Auto chose {name}; its settings are in the fields (press Train to train them again, or choose Auto to search again).</source>
        <translation>{status} 自动搜索选择了 {name}；其设置已填入各字段（按“训练”以这些设置重新训练，或选择“自动搜索”重新搜索）。</translation>
    </message>
</context>
<context>
    <name>BackbonePicker</name>
    <message>
        <source>ImageNet weights included, works offline</source>
        <translation>已内置 ImageNet 权重，可离线使用</translation>
    </message>
    <message>
        <source>ImageNet weights already on this computer</source>
        <translation>ImageNet 权重已在本机上</translation>
    </message>
    <message>
        <source>ImageNet weights need a one-time download (internet)</source>
        <translation>ImageNet 权重需要一次性下载（需联网）</translation>
    </message>
    <message>
        <source>ImageNet weights {status}</source>
        <translation>ImageNet 权重：{status}</translation>
    </message>
    <message>
        <source>fast on CPU</source>
        <translation>CPU 上较快</translation>
    </message>
    <message>
        <source>medium on CPU</source>
        <translation>CPU 上速度中等</translation>
    </message>
    <message>
        <source>slow on CPU</source>
        <translation>CPU 上较慢</translation>
    </message>
    <message>
        <source>{speed} on CPU</source>
        <translation>CPU 上：{speed}</translation>
    </message>
    <message>
        <source>Backbone</source>
        <translation>骨干网络</translation>
    </message>
    <message>
        <source>The pretrained network whose features are fine-tuned</source>
        <translation>其特征将被微调的预训练网络</translation>
    </message>
    <message>
        <source>Backbone description</source>
        <translation>骨干网络说明</translation>
    </message>
    <message>
        <source>Start from</source>
        <translation>起始权重</translation>
    </message>
    <message>
        <source>Pretrained ImageNet weights (recommended), a weights file, or random weights (training from scratch needs many more images)</source>
        <translation>预训练的 ImageNet 权重（推荐）、权重文件或随机权重（从头训练需要多得多的图像）</translation>
    </message>
    <message>
        <source>ImageNet (recommended)</source>
        <translation>ImageNet（推荐）</translation>
    </message>
    <message>
        <source>Random — from scratch</source>
        <translation>随机 — 从头训练</translation>
    </message>
    <message>
        <source>Weights file…</source>
        <translation>权重文件…</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>File: {name}</source>
        <translation>文件：{name}</translation>
    </message>
    <message>
        <source>{params:.1f} M parameters · {size} px input · {speed} · {weights}</source>
        <translation>{params:.1f} M 参数 · 输入 {size} 像素 · {speed} · {weights}</translation>
    </message>
    <message>
        <source>Choose a weights file</source>
        <translation>选择权重文件</translation>
    </message>
    <message>
        <source>Keras weights (*.h5 *.weights.h5 *.keras);;All files (*)</source>
        <translation>Keras 权重 (*.h5 *.weights.h5 *.keras);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>CardExplainer</name>
    <message>
        <source>{caption} Click for a larger view.</source>
        <translation>{caption}点击可查看大图。</translation>
    </message>
</context>
<context>
    <name>ClassifiedTable</name>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Predicted class</source>
        <translation>预测类别</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <source>Unreadable</source>
        <translation>无法读取</translation>
    </message>
    <message>
        <source>{label} (unlike the training images)</source>
        <translation>{label}（与训练图像不同）</translation>
    </message>
    <message>
        <source>{confidence:.1f} %</source>
        <translation>{confidence:.1f}%</translation>
    </message>
</context>
<context>
    <name>CountsSummaryView</name>
    <message>
        <source>“Adjusted” corrects each proportion for the model&apos;s own mistakes, measured on its validation images; it matters when a folder&apos;s mix of classes differs from the training images&apos; (a rare class is over-counted by the errors of the common ones). Bars: adjusted, with 95 % intervals; dots: raw.</source>
        <translation>“校正后”根据模型在验证图像上测得的自身错误来修正每个比例；当某个文件夹的类别构成与训练图像不同时，这一点很重要（常见类别的错误会使稀有类别被多计）。柱形：校正后比例及 95% 置信区间；圆点：原始比例。</translation>
    </message>
    <message>
        <source>Proportions per folder</source>
        <translation>各文件夹的比例</translation>
    </message>
    <message>
        <source>Each class&apos;s proportion per subfolder: bars adjusted, dots raw</source>
        <translation>每个子文件夹中各类别的比例：柱形为校正后，圆点为原始</translation>
    </message>
    <message>
        <source>Counts per folder</source>
        <translation>各文件夹的计数</translation>
    </message>
    <message>
        <source>One row per subfolder and class</source>
        <translation>每个子文件夹和类别一行</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>计数</translation>
    </message>
    <message>
        <source>Proportion (95 %)</source>
        <translation>比例（95%）</translation>
    </message>
    <message>
        <source>Adjusted (95 %)</source>
        <translation>校正后（95%）</translation>
    </message>
    <message>
        <source>Save summary CSV…</source>
        <translation>保存汇总 CSV…</translation>
    </message>
    <message>
        <source>Save summary CSV</source>
        <translation>保存汇总 CSV</translation>
    </message>
    <message>
        <source>One row per subfolder and class: count, proportion and adjusted proportion with 95 % intervals (the file of predict --summary)</source>
        <translation>每个子文件夹和类别一行：计数、比例和校正后比例，附 95% 置信区间（即 predict --summary 写出的文件）</translation>
    </message>
    <message>
        <source>{value} ({low}–{high})</source>
        <translation>{value}（{low}–{high}）</translation>
    </message>
    <message>
        <source>Only the first {shown} of {total} folders are drawn; the table lists all.</source>
        <translation>图中只画出 {total} 个文件夹中的前 {shown} 个；表格列出全部。</translation>
    </message>
    <message>
        <source>Classify a folder to see the proportions per subfolder.</source>
        <translation>分类一个文件夹即可查看各子文件夹的比例。</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
</context>
<context>
    <name>CoverageChoice</name>
    <message>
        <source>Prediction sets:</source>
        <translation>预测集合：</translation>
    </message>
    <message>
        <source>Coverage of the prediction sets</source>
        <translation>预测集合的覆盖率</translation>
    </message>
    <message>
        <source>How often an “A or B” answer must hold the true class (measured on the model&apos;s validation images); a higher coverage gives more images an answer of two or more classes</source>
        <translation>“A 或 B”这类回答包含真实类别的频率（在模型的验证图像上测得）；覆盖率越高，给出两个或更多类别的图像越多</translation>
    </message>
    <message>
        <source> % coverage</source>
        <translation>% 覆盖率</translation>
    </message>
    <message>
        <source>Classify again</source>
        <translation>重新分类</translation>
    </message>
    <message>
        <source>Classify again at this coverage</source>
        <translation>以此覆盖率重新分类</translation>
    </message>
    <message>
        <source>The answers on screen were made at another coverage</source>
        <translation>屏幕上的结果是以另一覆盖率得出的</translation>
    </message>
</context>
<context>
    <name>CurvesPanel</name>
    <message>
        <source>Training curves</source>
        <translation>训练曲线</translation>
    </message>
    <message>
        <source>Loss and accuracy per epoch for the training and validation images</source>
        <translation>训练图像和验证图像每轮的损失和准确率</translation>
    </message>
    <message>
        <source>Loss and accuracy appear here, epoch by epoch, while training runs</source>
        <translation>训练进行时，损失和准确率将逐轮显示在这里</translation>
    </message>
    <message>
        <source>fine-tuning starts</source>
        <translation>微调开始</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮</translation>
    </message>
    <message>
        <source>training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>批次</translation>
    </message>
</context>
<context>
    <name>DataCheck</name>
    <message>
        <source>Nothing to check</source>
        <translation>没有可检查的内容</translation>
    </message>
    <message>
        <source>Choose a training folder with one subfolder per class first.</source>
        <translation>请先选择训练文件夹（每个类别一个子文件夹）。</translation>
    </message>
    <message>
        <source>Checking 1 image with {backbone}… (random weights, as chosen for training: the findings mean little without ImageNet&apos;s)</source>
        <translation>正在用 {backbone} 检查 1 张图像…（随机权重，与训练所选一致：没有 ImageNet 权重，检查结果参考意义不大）</translation>
    </message>
    <message>
        <source>Checking {count} images with {backbone}… (random weights, as chosen for training: the findings mean little without ImageNet&apos;s)</source>
        <translation>正在用 {backbone} 检查 {count} 张图像…（随机权重，与训练所选一致：没有 ImageNet 权重，检查结果参考意义不大）</translation>
    </message>
    <message>
        <source>Checking 1 image with {backbone}…</source>
        <translation>正在用 {backbone} 检查 1 张图像…</translation>
    </message>
    <message>
        <source>Checking {count} images with {backbone}…</source>
        <translation>正在用 {backbone} 检查 {count} 张图像…</translation>
    </message>
    <message>
        <source>Stopped. Nothing was changed.</source>
        <translation>已停止。未做任何更改。</translation>
    </message>
    <message>
        <source>Checked 1 image ({excluded} excluded earlier, not checked). Double-click an image to open it; select one to exclude or move it.</source>
        <translation>已检查 1 张图像（{excluded} 张此前已排除，未检查）。双击图像可打开；选中图像可将其排除或移动。</translation>
    </message>
    <message>
        <source>Checked {count} images ({excluded} excluded earlier, not checked). Double-click an image to open it; select one to exclude or move it.</source>
        <translation>已检查 {count} 张图像（{excluded} 张此前已排除，未检查）。双击图像可打开；选中图像可将其排除或移动。</translation>
    </message>
    <message>
        <source>Checked 1 image. Double-click an image to open it; select one to exclude or move it.</source>
        <translation>已检查 1 张图像。双击图像可打开；选中图像可将其排除或移动。</translation>
    </message>
    <message>
        <source>Checked {count} images. Double-click an image to open it; select one to exclude or move it.</source>
        <translation>已检查 {count} 张图像。双击图像可打开；选中图像可将其排除或移动。</translation>
    </message>
    <message>
        <source>The Data panel now keeps images together by &apos;{rule}&apos;: the next training run splits whole groups.</source>
        <translation>数据面板现在按“{rule}”让图像保持在一起：下一次训练运行将按整个分组划分。</translation>
    </message>
    <message>
        <source>The check failed — see the message.</source>
        <translation>检查失败——请查看消息。</translation>
    </message>
    <message>
        <source>Check my data failed</source>
        <translation>检查我的数据失败</translation>
    </message>
</context>
<context>
    <name>DataPanel</name>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>One subfolder per class, e.g. photos/cats/*.jpg and photos/dogs/*.jpg. Drop a folder here or choose it.</source>
        <translation>每个类别一个子文件夹，例如 photos/cats/*.jpg 和 photos/dogs/*.jpg。将文件夹拖到这里或选择它。</translation>
    </message>
    <message>
        <source>Clear training folder</source>
        <translation>清除训练文件夹</translation>
    </message>
    <message>
        <source>Training folder</source>
        <translation>训练文件夹</translation>
    </message>
    <message>
        <source>Folder with one subfolder of images per class</source>
        <translation>每个类别有一个图像子文件夹的文件夹</translation>
    </message>
    <message>
        <source>Training folder…</source>
        <translation>训练文件夹…</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Choose training folder</source>
        <translation>选择训练文件夹</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Clear validation folder</source>
        <translation>清除验证文件夹</translation>
    </message>
    <message>
        <source>Validation folder</source>
        <translation>验证文件夹</translation>
    </message>
    <message>
        <source>Optional folder with the same class subfolders, used only to measure accuracy; without it, a share of the training images is held out</source>
        <translation>可选的文件夹，包含相同的类别子文件夹，仅用于测量准确率；若不提供，将从训练图像中留出一部分</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>Choose validation folder</source>
        <translation>选择验证文件夹</translation>
    </message>
    <message>
        <source>Validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Validation share</source>
        <translation>验证比例</translation>
    </message>
    <message>
        <source>Share of each class held out to measure accuracy when no validation folder is given</source>
        <translation>未提供验证文件夹时，每个类别中留出用于测量准确率的比例</translation>
    </message>
    <message>
        <source> %</source>
        <translation>%</translation>
    </message>
    <message>
        <source>Hold out for validation</source>
        <translation>留作验证</translation>
    </message>
    <message>
        <source>No folder chosen yet.</source>
        <translation>尚未选择文件夹。</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Classes found and their image counts</source>
        <translation>找到的类别及其图像数量</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Class table columns: thumbnail, class, images</source>
        <translation>类别表的列：缩略图、类别、图像</translation>
    </message>
    <message>
        <source>Skipped files</source>
        <translation>跳过的文件</translation>
    </message>
    <message>
        <source>Files that are not used, with the reason</source>
        <translation>未使用的文件及原因</translation>
    </message>
    <message>
        <source>Scanning…</source>
        <translation>正在扫描…</translation>
    </message>
    <message>
        <source>Choose the training folder</source>
        <translation>选择训练文件夹</translation>
    </message>
    <message>
        <source>Choose the validation folder</source>
        <translation>选择验证文件夹</translation>
    </message>
    <message>
        <source>This folder cannot be used</source>
        <translation>无法使用此文件夹</translation>
    </message>
    <message>
        <source>{count} (+{val} val)</source>
        <translation>{count}（+{val} 验证）</translation>
    </message>
    <message>
        <source>⚠ The classes are imbalanced: &apos;{big}&apos; has {n_big} images but &apos;{small}&apos; only {n_small}. The model may favour the larger classes; add images to the smaller ones if you can.</source>
        <translation>⚠ 类别不均衡：“{big}”有 {n_big} 张图像，而“{small}”只有 {n_small} 张。模型可能偏向较大的类别；如有可能，请为较小的类别添加图像。</translation>
    </message>
    <message>
        <source>{count} file skipped</source>
        <translation>跳过了 {count} 个文件</translation>
    </message>
    <message>
        <source>{count} files skipped</source>
        <translation>跳过了 {count} 个文件</translation>
    </message>
    <message>
        <source>{count} class</source>
        <translation>{count} 个类别</translation>
    </message>
    <message>
        <source>{count} classes</source>
        <translation>{count} 个类别</translation>
    </message>
    <message>
        <source>{count} image</source>
        <translation>{count} 张图像</translation>
    </message>
    <message>
        <source>{count} images</source>
        <translation>{count} 张图像</translation>
    </message>
    <message>
        <source>{count} validation images in a separate folder</source>
        <translation>另有文件夹中的 {count} 张验证图像</translation>
    </message>
    <message>
        <source>{summary} — a classifier needs at least two class folders.</source>
        <translation>{summary} — 分类器至少需要两个类别文件夹。</translation>
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
    <name>DropArea</name>
    <message>
        <source>Drop images to classify</source>
        <translation>拖入图像进行分类</translation>
    </message>
    <message>
        <source>Drop image files or folders here to see the model&apos;s top-5 classes</source>
        <translation>将图像文件或文件夹拖到这里，查看模型给出的前 5 个类别</translation>
    </message>
    <message>
        <source>Drop images here</source>
        <translation>将图像拖到这里</translation>
    </message>
    <message>
        <source>JPEG, PNG, BMP, GIF, WebP or TIFF — one or many, or a whole folder</source>
        <translation>JPEG、PNG、BMP、GIF、WebP 或 TIFF——一张或多张，或整个文件夹</translation>
    </message>
    <message>
        <source>Open images…</source>
        <translation>打开图像…</translation>
    </message>
    <message>
        <source>Open images</source>
        <translation>打开图像</translation>
    </message>
    <message>
        <source>Classify a folder…</source>
        <translation>对文件夹分类…</translation>
    </message>
    <message>
        <source>Classify a folder</source>
        <translation>对文件夹分类</translation>
    </message>
    <message>
        <source>Every image in a folder and its subfolders, in a table you can sort, filter, save as CSV or sort into class folders</source>
        <translation>文件夹及其子文件夹中的每张图像都列在表格中，可排序、筛选、保存为 CSV，或按类别分入各文件夹</translation>
    </message>
</context>
<context>
    <name>EngineMessages</name>
    <message>
        <source>Calibrating the near-duplicate threshold on altered copies of sample images.</source>
        <comment>audit.calibrating_near_duplicate_threshold</comment>
        <translation>正在用示例图像的修改副本校准近似重复的阈值。</translation>
    </message>
    <message>
        <source>Check finished</source>
        <comment>audit.check_finished</comment>
        <translation>检查完成</translation>
    </message>
    <message>
        <source>Cross-validating a classifier on the embeddings</source>
        <comment>audit.cross_validating_classifier_embeddings</comment>
        <translation>正在基于嵌入特征交叉验证分类器</translation>
    </message>
    <message>
        <source>The folder &apos;{folder}&apos; does not exist or is not a folder.</source>
        <comment>audit.folder_does_not_exist</comment>
        <translation>文件夹“{folder}”不存在或不是文件夹。</translation>
    </message>
    <message>
        <source>Scanning {data_dir}</source>
        <comment>audit.scanning</comment>
        <translation>正在扫描 {data_dir}</translation>
    </message>
    <message>
        <source>Auto: {backbone_id} left out: the embeddings stage has used its share of the budget</source>
        <comment>auto.backbone_left_out</comment>
        <translation>自动搜索：未使用 {backbone_id}：嵌入特征阶段已用完其时间预算份额</translation>
    </message>
    <message>
        <source>Auto: {backbone_id} skipped: out of memory while computing its features</source>
        <comment>auto.backbone_out_of_memory</comment>
        <translation>自动搜索：已跳过 {backbone_id}：计算特征时内存不足</translation>
    </message>
    <message>
        <source>Auto: {backbone_id} stopped while computing its features</source>
        <comment>auto.backbone_stopped</comment>
        <translation>自动搜索：{backbone_id} 在计算特征时被停止</translation>
    </message>
    <message>
        <source>{backbone}: fine-tune from layer {layer}</source>
        <comment>auto.candidate.finetune</comment>
        <translation>{backbone}：从第 {layer} 层起微调</translation>
    </message>
    <message>
        <source>{backbone}: fine-tune from layer {layer}, augmented</source>
        <comment>auto.candidate.finetune_augmented</comment>
        <translation>{backbone}：从第 {layer} 层起微调，含数据增强</translation>
    </message>
    <message>
        <source>{backbone}: embeddings + logistic regression on layer {layer} (C={c:g})</source>
        <comment>auto.candidate.logreg</comment>
        <translation>{backbone}：第 {layer} 层的嵌入特征 + 逻辑回归（C={c:g}）</translation>
    </message>
    <message>
        <source>{backbone}: embeddings + linear SVM on layer {layer} (C={c:g})</source>
        <comment>auto.candidate.svm</comment>
        <translation>{backbone}：第 {layer} 层的嵌入特征 + 线性 SVM（C={c:g}）</translation>
    </message>
    <message>
        <source>Auto: {candidate} skipped: {reason}</source>
        <comment>auto.candidate_skipped</comment>
        <translation>自动搜索：已跳过 {candidate}：{reason}</translation>
    </message>
    <message>
        <source>Auto: chose {candidate}: cross-validated accuracy {accuracy:.3f} on {folds} folds</source>
        <comment>auto.chose</comment>
        <translation>自动搜索：选择了 {candidate}：{folds} 折交叉验证准确率 {accuracy:.3f}</translation>
    </message>
    <message>
        <source>Auto: features of {backbone_id} at {n_layers} layers {done}/{total}</source>
        <comment>auto.embedding_features</comment>
        <translation>自动搜索：计算 {backbone_id} 在 {n_layers} 个层的特征 {done}/{total}</translation>
    </message>
    <message>
        <source>features of {backbone_id} at layers {layers}</source>
        <comment>auto.features</comment>
        <translation>计算 {backbone_id} 在第 {layers} 层的特征</translation>
    </message>
    <message>
        <source>Auto: the final training out of memory; keeping the last cross-validation fold&apos;s model</source>
        <comment>auto.final_out_of_memory</comment>
        <translation>自动搜索：最终训练内存不足；保留最后一折交叉验证的模型</translation>
    </message>
    <message>
        <source>Auto: the final training stopped before its first epoch; keeping the last cross-validation fold&apos;s model</source>
        <comment>auto.final_stopped</comment>
        <translation>自动搜索：最终训练在第一轮结束前被停止；保留最后一折交叉验证的模型</translation>
    </message>
    <message>
        <source>training the chosen recipe on all training images: {candidate}</source>
        <comment>auto.final_training</comment>
        <translation>用全部训练图像训练选中的方案：{candidate}</translation>
    </message>
    <message>
        <source>{candidate}: fold {fold} of {folds}</source>
        <comment>auto.fold</comment>
        <translation>{candidate}：第 {fold}/{folds} 折</translation>
    </message>
    <message>
        <source>{k}-fold x {repeats} repeated stratified</source>
        <comment>auto.fold_scheme</comment>
        <translation>{k} 折 × {repeats} 次重复分层</translation>
    </message>
    <message>
        <source>{k}-fold x {repeats} repeated stratified, grouped</source>
        <comment>auto.fold_scheme_grouped</comment>
        <translation>{k} 折 × {repeats} 次重复分层，按分组划分</translation>
    </message>
    <message>
        <source>learning-rate finder for {backbone_id} from layer {freeze}</source>
        <comment>auto.lr_finder</comment>
        <translation>从第 {freeze} 层起为 {backbone_id} 运行学习率查找</translation>
    </message>
    <message>
        <source>Auto: learning-rate finder skipped ({error_type}); using {fallback:g}</source>
        <comment>auto.lr_finder_skipped</comment>
        <translation>自动搜索：已跳过学习率查找（{error_type}）；使用 {fallback:g}</translation>
    </message>
    <message>
        <source>Auto: learning-rate finder suggests {rate:.2g} for {backbone_id} from layer {freeze}</source>
        <comment>auto.lr_finder_suggests</comment>
        <translation>自动搜索：学习率查找建议 {backbone_id}（从第 {freeze} 层起）使用 {rate:.2g}</translation>
    </message>
    <message>
        <source>Auto: no time left for fine-tuning; keeping the embeddings candidates</source>
        <comment>auto.no_time_for_finetuning</comment>
        <translation>自动搜索：没有时间进行微调；保留嵌入特征候选方案</translation>
    </message>
    <message>
        <source>Auto: {candidate}: no time for another fold (needs ~{needed:.0f} s, {left:.0f} s left after reserving the final training)</source>
        <comment>auto.no_time_for_fold</comment>
        <translation>自动搜索：{candidate}：没有时间再做一折（需要约 {needed:.0f} 秒，为最终训练预留时间后只剩 {left:.0f} 秒）</translation>
    </message>
    <message>
        <source>all training images</source>
        <comment>auto.refit.all_images</comment>
        <translation>用全部训练图像训练</translation>
    </message>
    <message>
        <source>stopped before its first epoch: the model of the last cross-validation fold</source>
        <comment>auto.refit.final_stopped</comment>
        <translation>在第一轮结束前被停止：使用最后一折交叉验证的模型</translation>
    </message>
    <message>
        <source>out of memory: the model of the last cross-validation fold</source>
        <comment>auto.refit.out_of_memory</comment>
        <translation>内存不足：使用最后一折交叉验证的模型</translation>
    </message>
    <message>
        <source>stopped: the model of the last cross-validation fold, not retrained on all images</source>
        <comment>auto.refit.stopped</comment>
        <translation>已停止：使用最后一折交叉验证的模型，未用全部图像重新训练</translation>
    </message>
    <message>
        <source>scored</source>
        <comment>auto.status.scored</comment>
        <translation>已评分</translation>
    </message>
    <message>
        <source>skipped ({reason})</source>
        <comment>auto.status.skipped</comment>
        <translation>已跳过（{reason}）</translation>
    </message>
    <message>
        <source>skipped (needs ~{needed:.0f} s per fold)</source>
        <comment>auto.status.skipped_time</comment>
        <translation>已跳过（每折约需 {needed:.0f} 秒）</translation>
    </message>
    <message>
        <source>stopped</source>
        <comment>auto.status.stopped</comment>
        <translation>已停止</translation>
    </message>
    <message>
        <source>waiting</source>
        <comment>auto.status.waiting</comment>
        <translation>等待中</translation>
    </message>
    <message>
        <source>{name} (offline)</source>
        <comment>backbone.offline</comment>
        <translation>{name}（离线可用）</translation>
    </message>
    <message>
        <source>Unknown backbone &apos;{backbone_id}&apos;. Choose one of: {choices}.</source>
        <comment>backbone.unknown</comment>
        <translation>未知的骨干网络“{backbone_id}”。请从以下选择：{choices}。</translation>
    </message>
    <message>
        <source>The bundle &apos;{folder}&apos; has a damaged {CONFIG_FILE}.</source>
        <comment>bundle.bundle_damaged</comment>
        <translation>模型包“{folder}”中的 {CONFIG_FILE} 已损坏。</translation>
    </message>
    <message>
        <source>The bundle &apos;{folder}&apos; has a damaged {LABELS_FILE}.</source>
        <comment>bundle.bundle_damaged_2</comment>
        <translation>模型包“{folder}”中的 {LABELS_FILE} 已损坏。</translation>
    </message>
    <message>
        <source>The bundle &apos;{folder}&apos; is damaged ({error}).</source>
        <comment>bundle.bundle_damaged_3</comment>
        <translation>模型包“{folder}”已损坏（{error}）。</translation>
    </message>
    <message>
        <source>The bundle &apos;{folder}&apos; is inconsistent: {n_labels} labels but the model has {n_outputs} outputs.</source>
        <comment>bundle.bundle_inconsistent_labels_but</comment>
        <translation>模型包“{folder}”前后不一致：有 {n_labels} 个标签，但模型有 {n_outputs} 个输出。</translation>
    </message>
    <message>
        <source>The bundle &apos;{folder}&apos; uses an unknown method &apos;{method}&apos;.</source>
        <comment>bundle.bundle_uses_unknown_method</comment>
        <translation>模型包“{folder}”使用了未知的方法“{method}”。</translation>
    </message>
    <message>
        <source>Cannot create the folder &apos;{target_parent}&apos; ({reason}); choose another place.</source>
        <comment>bundle.cannot_create_folder_choose</comment>
        <translation>无法创建文件夹“{target_parent}”（{reason}）；请选择其他位置。</translation>
    </message>
    <message>
        <source>Cannot save to &apos;{target}&apos;: &apos;{ancestor}&apos; is a file, not a folder; choose another place.</source>
        <comment>bundle.cannot_save_file_not</comment>
        <translation>无法保存到“{target}”：“{ancestor}”是一个文件，而不是文件夹；请选择其他位置。</translation>
    </message>
    <message>
        <source>Cannot save to &apos;{target}&apos;: the folder &apos;{ancestor}&apos; is not writable; choose a folder you can write to.</source>
        <comment>bundle.cannot_save_folder_not</comment>
        <translation>无法保存到“{target}”：文件夹“{ancestor}”不可写；请选择一个你可以写入的文件夹。</translation>
    </message>
    <message>
        <source>Cannot save there: {error}</source>
        <comment>bundle.cannot_save_there</comment>
        <translation>无法保存到那里：{error}</translation>
    </message>
    <message>
        <source>Internal error: the save into &apos;{target}&apos; did not write {REQUIRED_FILES}.</source>
        <comment>bundle.internal_error_save_into</comment>
        <translation>内部错误：保存到“{target}”时未写入 {REQUIRED_FILES}。</translation>
    </message>
    <message>
        <source>The model file in &apos;{folder}&apos; could not be loaded ({error}).</source>
        <comment>bundle.model_file_could_not</comment>
        <translation>无法加载“{folder}”中的模型文件（{error}）。</translation>
    </message>
    <message>
        <source>No model bundle at &apos;{folder}&apos; (expected a folder containing {MODEL_FILE}).</source>
        <comment>bundle.no_model_bundle_expected</comment>
        <translation>“{folder}”处没有模型包（应是一个包含 {MODEL_FILE} 的文件夹）。</translation>
    </message>
    <message>
        <source>&apos;{folder}&apos; is not a complete model bundle: missing {missing}.</source>
        <comment>bundle.not_complete_model_bundle</comment>
        <translation>“{folder}”不是完整的模型包：缺少 {missing}。</translation>
    </message>
    <message>
        <source>Not enough free space to save to &apos;{target}&apos;: about {needed_bytes} needed, {free} free; free some space or choose another disk.</source>
        <comment>bundle.not_enough_free_space</comment>
        <translation>可用空间不足，无法保存到“{target}”：约需 {needed_bytes}，可用 {free}；请释放一些空间或选择其他磁盘。</translation>
    </message>
    <message>
        <source>&apos;{path}&apos; is {kind} that is not a model bundle, so it will not be overwritten; choose a new name or an empty folder.</source>
        <comment>bundle.not_model_bundle_so</comment>
        <translation>“{path}”是一个{kind}，但不是模型包，因此不会被覆盖；请换一个新名称或选择一个空文件夹。</translation>
    </message>
    <message>
        <source>The checkpoint&apos;s {what} does not match the model built from the run&apos;s settings (another version, or changed settings); train it again instead.</source>
        <comment>checkpoints.checkpoint_s_does_not</comment>
        <translation>检查点的{what}与按该训练运行设置构建的模型不符（版本不同，或设置已更改）；请改为重新训练。</translation>
    </message>
    <message>
        <source>The checkpoint was written with seed {written_seed}, not {seed}.</source>
        <comment>checkpoints.checkpoint_written_seed_not</comment>
        <translation>该检查点是用随机种子 {written_seed} 写入的，而不是 {seed}。</translation>
    </message>
    <message>
        <source>Could not write the checkpoint of epoch {epoch}: {disabled}. Training goes on without checkpoints (the run cannot be continued if it is stopped); the model is saved at the end.</source>
        <comment>checkpoints.could_not_write_checkpoint</comment>
        <translation>无法写入第 {epoch} 轮的检查点：{disabled}。训练将在没有检查点的情况下继续（如果停止，该训练运行将无法继续）；结束时会保存模型。</translation>
    </message>
    <message>
        <source>This run has no checkpoint left to continue from (it stopped before its first epoch ended, or its folder was pruned); train it again instead.</source>
        <comment>checkpoints.run_no_checkpoint_left</comment>
        <translation>该训练运行已没有可继续的检查点（它在第一轮结束前就停止了，或其文件夹已被清理）；请改为重新训练。</translation>
    </message>
    <message>
        <source>{method}: C = {C:g} by {folds}-fold cross-validation</source>
        <comment>classic.c_by_cross_validation</comment>
        <translation>{method}：通过 {folds} 折交叉验证得到 C = {C:g}</translation>
    </message>
    <message>
        <source>{method}: C = {C:g}, given</source>
        <comment>classic.c_given</comment>
        <translation>{method}：C = {C:g}（指定值）</translation>
    </message>
    <message>
        <source>{method}: too few images per class for cross-validation; using C = 1</source>
        <comment>classic.c_too_few_images</comment>
        <translation>{method}：每个类别的图像太少，无法交叉验证；使用 C = 1</translation>
    </message>
    <message>
        <source>Chose C = {C:g}</source>
        <comment>classic.chose_c</comment>
        <translation>选择 C = {C:g}</translation>
    </message>
    <message>
        <source>The classifier in &apos;{folder}&apos; was refused: {why}.</source>
        <comment>classic.classifier_refused</comment>
        <translation>“{folder}”中的分类器被拒绝：{why}。</translation>
    </message>
    <message>
        <source>Embeddings from a network with random weights carry little meaning; choose pretrained weights for the embeddings methods.</source>
        <comment>classic.embeddings_from_network_random</comment>
        <translation>随机权重网络的嵌入特征意义不大；请为嵌入特征方法选择预训练权重。</translation>
    </message>
    <message>
        <source>Fitting {method} on {n_features} features</source>
        <comment>classic.fitting_features</comment>
        <translation>正在基于 {n_features} 个特征拟合{method}</translation>
    </message>
    <message>
        <source>The SVM&apos;s probability calibration needs at least 2 training images per class; add images or choose logistic regression.</source>
        <comment>classic.svm_s_probability_calibration</comment>
        <translation>支持向量机 (SVM) 的概率校准需要每个类别至少 2 张训练图像；请添加图像或选择逻辑回归。</translation>
    </message>
    <message>
        <source>Classified {done} images</source>
        <comment>classify.classified_images</comment>
        <translation>已分类 {done} 张图像</translation>
    </message>
    <message>
        <source>&apos;{path}&apos; exists and is not a CSV written by &apos;predict&apos;; it will not be overwritten. Choose a new file name.</source>
        <comment>classify.exists_not_csv_written</comment>
        <translation>“{path}”已存在，且不是由“predict”写入的 CSV；它不会被覆盖。请换一个新文件名。</translation>
    </message>
    <message>
        <source>&apos;{path}&apos; exists and is not a regular file; it will not be overwritten.</source>
        <comment>classify.exists_not_regular_file</comment>
        <translation>“{path}”已存在且不是普通文件；它不会被覆盖。</translation>
    </message>
    <message>
        <source>The folder of the CSV file &apos;{path}&apos; does not exist.</source>
        <comment>classify.folder_csv_file_does</comment>
        <translation>CSV 文件“{path}”所在的文件夹不存在。</translation>
    </message>
    <message>
        <source>The {what} &apos;{target}&apos; is inside the input folder &apos;{folder}&apos;, which is only ever read; choose a place outside it.</source>
        <comment>classify.inside_input_folder_which</comment>
        <translation>{what}“{target}”位于输入文件夹“{folder}”内，而该文件夹只会被读取；请选择它以外的位置。</translation>
    </message>
    <message>
        <source>No images found in {items} (image types: {IMAGE_EXTENSIONS}).</source>
        <comment>classify.no_images_found_image</comment>
        <translation>在 {items} 中没有找到图像（图像类型：{IMAGE_EXTENSIONS}）。</translation>
    </message>
    <message>
        <source>The sort folder &apos;{sort_into}&apos; exists and is not a folder.</source>
        <comment>classify.sort_folder_exists_not</comment>
        <translation>分拣文件夹“{sort_into}”已存在，但不是文件夹。</translation>
    </message>
    <message>
        <source>Sorting into &apos;{sort_into}&apos; would copy images into the input folder &apos;{folder}&apos;; choose a sort folder elsewhere.</source>
        <comment>classify.sorting_into_would_copy</comment>
        <translation>分拣到“{sort_into}”会把图像复制到输入文件夹“{folder}”中；请选择别处的分拣文件夹。</translation>
    </message>
    <message>
        <source>Comparing methods: {method} ({n_results}/{n_methods})</source>
        <comment>compare.comparing_methods</comment>
        <translation>正在比较方法：{method}（{n_results}/{n_methods}）</translation>
    </message>
    <message>
        <source>Image size (--image-size) must be at least {min_input_size} for {label} (got {size}).</source>
        <comment>config.image_size_image_size</comment>
        <translation>对于 {label}，图像尺寸（--image-size）至少为 {min_input_size}（当前为 {size}）。</translation>
    </message>
    <message>
        <source>{name} must be {describe} (got {value}).</source>
        <comment>config.must_got</comment>
        <translation>{name} 必须是{describe}（当前为 {value}）。</translation>
    </message>
    <message>
        <source>Unknown training setting(s): {unknown} (known: {known}).</source>
        <comment>config.unknown_training_setting_s</comment>
        <translation>未知的训练设置：{unknown}（已知设置：{known}）。</translation>
    </message>
    <message>
        <source>Warm-up epochs (--warmup-epochs) must be at most the number of epochs, {epochs} (got {warmup}).</source>
        <comment>config.warm_up_epochs_warmup</comment>
        <translation>预热轮数（--warmup-epochs）不能超过总轮数 {epochs}（当前为 {warmup}）。</translation>
    </message>
    <message>
        <source>&apos;{src}&apos; is already inside the dataset &apos;{root}&apos;.</source>
        <comment>copy_in.already_inside_dataset</comment>
        <translation>“{src}”已经在数据集“{root}”中。</translation>
    </message>
    <message>
        <source>&apos;{cleaned}&apos; cannot be a class name: it contains a control character.</source>
        <comment>copy_in.cannot_class_name_contains</comment>
        <translation>“{cleaned}”不能作为类别名称：其中包含控制字符。</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; cannot be a class name: give the class a name.</source>
        <comment>copy_in.cannot_class_name_give</comment>
        <translation>“{name}”不能作为类别名称：请为类别命名。</translation>
    </message>
    <message>
        <source>&apos;{cleaned}&apos; cannot be a class name: it must not contain &apos;/&apos; or &apos;\&apos;.</source>
        <comment>copy_in.cannot_class_name_must</comment>
        <translation>“{cleaned}”不能作为类别名称：名称中不能包含“/”或“\”。</translation>
    </message>
    <message>
        <source>&apos;{cleaned}&apos; cannot be a class name: a name starting with &apos;.&apos; is a hidden folder, never a class.</source>
        <comment>copy_in.cannot_class_name_name</comment>
        <translation>“{cleaned}”不能作为类别名称：以“.”开头的名称是隐藏文件夹，永远不会是类别。</translation>
    </message>
    <message>
        <source>&apos;{target_name}&apos; in &apos;{class_name}&apos; has changed since it was copied; it was kept.</source>
        <comment>copy_in.changed_since_copied_kept</comment>
        <translation>“{class_name}”中的“{target_name}”在复制后已被修改；已将其保留。</translation>
    </message>
    <message>
        <source>Could not copy &apos;{src_name}&apos; into &apos;{class_name}&apos; ({reason}); nothing was copied.</source>
        <comment>copy_in.could_not_copy_into</comment>
        <translation>无法将“{src_name}”复制到“{class_name}”（{reason}）；没有复制任何内容。</translation>
    </message>
    <message>
        <source>The dataset folder &apos;{root}&apos; does not exist or is not a folder.</source>
        <comment>copy_in.dataset_folder_does_not</comment>
        <translation>数据集文件夹“{root}”不存在或不是文件夹。</translation>
    </message>
    <message>
        <source>The dataset &apos;{root}&apos; has no class &apos;{class_name}&apos; (add it by name first).</source>
        <comment>copy_in.dataset_no_class_add</comment>
        <translation>数据集“{root}”中没有类别“{class_name}”（请先按名称添加它）。</translation>
    </message>
    <message>
        <source>&apos;{folder}&apos; exists and is not a folder: choose another class name.</source>
        <comment>copy_in.exists_not_folder_choose</comment>
        <translation>“{folder}”已存在且不是文件夹：请换一个类别名称。</translation>
    </message>
    <message>
        <source>&apos;{src}&apos; is not an image file.</source>
        <comment>copy_in.not_image_file</comment>
        <translation>“{src}”不是图像文件。</translation>
    </message>
    <message>
        <source>&apos;{target}&apos; exists and is not a counts summary written by &apos;predict&apos;; it will not be overwritten. Choose a new file name.</source>
        <comment>counting.exists_not_counts_summary</comment>
        <translation>“{target}”已存在，且不是由“predict”写入的计数汇总；它不会被覆盖。请换一个新文件名。</translation>
    </message>
    <message>
        <source>&apos;{target}&apos; exists and is not a regular file; it will not be overwritten.</source>
        <comment>counting.exists_not_regular_file</comment>
        <translation>“{target}”已存在且不是普通文件；它不会被覆盖。</translation>
    </message>
    <message>
        <source>The folder of the summary file &apos;{target}&apos; does not exist.</source>
        <comment>counting.folder_summary_file_does</comment>
        <translation>汇总文件“{target}”所在的文件夹不存在。</translation>
    </message>
    <message>
        <source>The summary file &apos;{target}&apos; is inside the input folder &apos;{folder}&apos;, which is only ever read; choose a place outside it.</source>
        <comment>counting.summary_file_inside_input</comment>
        <translation>汇总文件“{target}”位于输入文件夹“{folder}”内，而该文件夹只会被读取；请选择它以外的位置。</translation>
    </message>
    <message>
        <source>This model has no validation statistics (saved before calibration), so only the raw counts are given; train it again to get adjusted proportions.</source>
        <comment>counts.no_adjustment</comment>
        <translation>此模型没有验证统计（保存于校准功能之前），因此只给出原始计数；重新训练即可得到校正后比例。</translation>
    </message>
    <message>
        <source>Some classes have fewer than {n} validation images: the adjusted proportions rest on few examples of the model&apos;s mistakes, so read them with their intervals; more labelled validation images make them firmer.</source>
        <comment>counts.thin_validation</comment>
        <translation>部分类别的验证图像少于 {n} 张：校正后比例所依据的模型错误样本很少，请结合其区间解读；更多已标注的验证图像会使其更可靠。</translation>
    </message>
    <message>
        <source>another worker of the cluster stopped or became unreachable during training ({reason}); no bundle was written. Start all workers again.</source>
        <comment>distribute.another_worker_cluster_stopped</comment>
        <translation>集群中的另一个工作进程在训练期间停止或无法连接（{reason}）；没有写入模型包。请重新启动所有工作进程。</translation>
    </message>
    <message>
        <source>--batch-size {batch_size} is the global batch and must divide evenly among the {replicas} replicas of the {workers} workers</source>
        <comment>distribute.batch_size_global_batch</comment>
        <translation>--batch-size {batch_size} 是全局批大小，必须能被 {workers} 个工作进程的 {replicas} 个副本整除</translation>
    </message>
    <message>
        <source>--batch-size {batch_size} is the global batch and must divide evenly among the {n_workers} workers</source>
        <comment>distribute.batch_size_global_batch_2</comment>
        <translation>--batch-size {batch_size} 是全局批大小，必须能被 {n_workers} 个工作进程整除</translation>
    </message>
    <message>
        <source>--distribute mirrored trains on this machine&apos;s GPUs, and TensorFlow finds none (install with pip install -e &apos;.[gpu]&apos; on an NVIDIA machine, or use --distribute none)</source>
        <comment>distribute.distribute_mirrored_trains_machine</comment>
        <translation>--distribute mirrored 使用本机的 GPU 训练，但 TensorFlow 没有找到任何 GPU（在 NVIDIA 机器上用 pip install -e &apos;.[gpu]&apos; 安装，或使用 --distribute none）</translation>
    </message>
    <message>
        <source>--distribute multiworker needs the TF_CONFIG environment variable (every worker&apos;s host:port and this worker&apos;s index), for example {TF_CONFIG_EXAMPLE}</source>
        <comment>distribute.distribute_multiworker_needs_tf</comment>
        <translation>--distribute multiworker 需要 TF_CONFIG 环境变量（每个工作进程的 host:port 以及本工作进程的序号），例如 {TF_CONFIG_EXAMPLE}</translation>
    </message>
    <message>
        <source>--distribute must be one of {KINDS} (got &apos;{kind}&apos;)</source>
        <comment>distribute.distribute_must_one_got</comment>
        <translation>--distribute 必须是 {KINDS} 之一（当前为“{kind}”）</translation>
    </message>
    <message>
        <source>--early-stopping with --weights none cannot be used with --distribute multiworker: each worker re-estimates BatchNorm statistics on its own shard, so the workers could disagree on when to stop</source>
        <comment>distribute.early_stopping_weights_none</comment>
        <translation>--early-stopping 与 --weights none 不能和 --distribute multiworker 一起使用：每个工作进程会在自己的数据分片上重新估计 BatchNorm 统计量，各工作进程对何时停止可能意见不一</translation>
    </message>
    <message>
        <source>--method {method} fits a classifier on features in seconds on one machine; --distribute {kind} is for fine-tuning (use --distribute none)</source>
        <comment>distribute.method_fits_classifier_features</comment>
        <translation>--method {method} 在一台机器上几秒内即可在特征上拟合分类器；--distribute {kind} 用于微调（请使用 --distribute none）</translation>
    </message>
    <message>
        <source>MirroredStrategy over {n_devices:plural:device} ({devices}); the batch of {batch_size} is split among them.</source>
        <comment>distribute.mirroredstrategy_over_batch_split</comment>
        <translation>MirroredStrategy 使用 {n_devices} 个设备（{devices}）；批大小 {batch_size} 在它们之间分配。</translation>
    </message>
    <message>
        <source>TF_CONFIG lists &apos;{address}&apos;, which is not host:port</source>
        <comment>distribute.tf_config_lists_which</comment>
        <translation>TF_CONFIG 列出了“{address}”，它不是 host:port 格式</translation>
    </message>
    <message>
        <source>TF_CONFIG needs a &quot;cluster&quot; and a &quot;task&quot; object; for example {TF_CONFIG_EXAMPLE}</source>
        <comment>distribute.tf_config_needs_cluster</comment>
        <translation>TF_CONFIG 需要一个“cluster”对象和一个“task”对象；例如 {TF_CONFIG_EXAMPLE}</translation>
    </message>
    <message>
        <source>TF_CONFIG is not valid JSON ({error}); for example {TF_CONFIG_EXAMPLE}</source>
        <comment>distribute.tf_config_not_valid</comment>
        <translation>TF_CONFIG 不是有效的 JSON（{error}）；例如 {TF_CONFIG_EXAMPLE}</translation>
    </message>
    <message>
        <source>TF_CONFIG&apos;s cluster has jobs {unknown}; multi-worker training uses only &quot;worker&quot; (and optionally one &quot;chief&quot;)</source>
        <comment>distribute.tf_config_s_cluster</comment>
        <translation>TF_CONFIG 的 cluster 中有作业 {unknown}；多工作进程训练只使用“worker”（以及可选的一个“chief”）</translation>
    </message>
    <message>
        <source>TF_CONFIG&apos;s cluster must list &quot;worker&quot; addresses (and at most one &quot;chief&quot;)</source>
        <comment>distribute.tf_config_s_cluster_2</comment>
        <translation>TF_CONFIG 的 cluster 必须列出“worker”地址（最多一个“chief”）</translation>
    </message>
    <message>
        <source>TF_CONFIG&apos;s cluster lists no workers</source>
        <comment>distribute.tf_config_s_cluster_3</comment>
        <translation>TF_CONFIG 的 cluster 中没有列出任何工作进程</translation>
    </message>
    <message>
        <source>TF_CONFIG&apos;s task {task} is not one of the cluster&apos;s workers (&quot;type&quot;: &quot;worker&quot;, &quot;index&quot;: 0 to {n_workers})</source>
        <comment>distribute.tf_config_s_task</comment>
        <translation>TF_CONFIG 的 task {task} 不是集群中的工作进程之一（&quot;type&quot;: &quot;worker&quot;，&quot;index&quot;: 0 到 {n_workers}）</translation>
    </message>
    <message>
        <source>{workers:plural:worker}, {replicas:plural:replica}: this worker trains on {n_train:plural:image} of {n_all}, global batch {batch_size}.</source>
        <comment>distribute.worker_trains_global_batch</comment>
        <translation>{workers} 个工作进程，{replicas} 个副本：本工作进程在 {n_all} 张图像中的 {n_train} 张上训练，全局批大小 {batch_size}。</translation>
    </message>
    <message>
        <source>the workers see different images (another folder, or files added meanwhile); every worker must read the same DATA_DIR</source>
        <comment>distribute.workers_see_different_images</comment>
        <translation>各工作进程看到的图像不同（文件夹不同，或期间添加了文件）；每个工作进程都必须读取同一个 DATA_DIR</translation>
    </message>
    <message>
        <source>Comparing pixels {done}/{n_files}</source>
        <comment>embeddings.comparing_pixels</comment>
        <translation>正在比较像素 {done}/{n_files}</translation>
    </message>
    <message>
        <source>Computing embeddings of {n_todo} of {n_files} images ({n_cached} from the cache).</source>
        <comment>embeddings.computing_embeddings_images_from</comment>
        <translation>正在计算 {n_files} 张图像中 {n_todo} 张的嵌入特征（{n_cached} 张来自缓存）。</translation>
    </message>
    <message>
        <source>Could not save the embeddings to the cache ({error}); continuing without it.</source>
        <comment>embeddings.could_not_save_embeddings</comment>
        <translation>无法将嵌入特征保存到缓存（{error}）；不使用缓存继续。</translation>
    </message>
    <message>
        <source>Evaluating {done}/{n_files}</source>
        <comment>evaluate.evaluating</comment>
        <translation>正在评估 {done}/{n_files}</translation>
    </message>
    <message>
        <source>The model does not know the class folder(s) {unknown} in &apos;{data_dir}&apos;. It knows: {class_names}.</source>
        <comment>evaluate.model_does_not_know</comment>
        <translation>模型不认识“{data_dir}”中的类别文件夹 {unknown}。它认识的类别：{class_names}。</translation>
    </message>
    <message>
        <source>&apos;{path}&apos; is not inside the data folder &apos;{root}&apos;.</source>
        <comment>exclusions.not_inside_data_folder</comment>
        <translation>“{path}”不在数据文件夹“{root}”中。</translation>
    </message>
    <message>
        <source>The model has no class &apos;{class_name}&apos;; its classes are: {classes}.</source>
        <comment>explain.model_no_class_classes</comment>
        <translation>模型中没有类别“{class_name}”；它的类别有：{classes}。</translation>
    </message>
    <message>
        <source>The output &apos;{out_dir}&apos; is a file; give a folder for the overlay images.</source>
        <comment>explain.output_file_give_folder</comment>
        <translation>输出“{out_dir}”是一个文件；请为叠加图像指定一个文件夹。</translation>
    </message>
    <message>
        <source>The output folder &apos;{out_dir}&apos; holds the image &apos;{image}&apos;; overlays written there would mix with your images. Choose a folder outside them.</source>
        <comment>explain.output_folder_holds_image</comment>
        <translation>输出文件夹“{out_dir}”中包含图像“{image}”；写在那里的叠加图会与你的图像混在一起。请选择它们以外的文件夹。</translation>
    </message>
    <message>
        <source>Checking the {fmt} export on {n_names} images</source>
        <comment>export.checking_export_images</comment>
        <translation>正在用 {n_names} 张图像检查 {fmt} 导出</translation>
    </message>
    <message>
        <source>Converting to {fmt}</source>
        <comment>export.converting</comment>
        <translation>正在转换为 {fmt}</translation>
    </message>
    <message>
        <source>&apos;{out}&apos; was created by someone else during the export; nothing written.</source>
        <comment>export.created_someone_else_during</comment>
        <translation>“{out}”在导出过程中被其他程序创建；没有写入任何内容。</translation>
    </message>
    <message>
        <source>&apos;{out}&apos; exists and is not an earlier export; choose a new folder name for the export (it is never written over, so no images or other files can be lost).</source>
        <comment>export.exists_not_earlier_export</comment>
        <translation>“{out}”已存在，且不是之前的导出；请为导出换一个新的文件夹名称（导出从不覆盖任何内容，因此不会丢失图像或其他文件）。</translation>
    </message>
    <message>
        <source>Exported to {target}</source>
        <comment>export.exported</comment>
        <translation>已导出到 {target}</translation>
    </message>
    <message>
        <source>The folder &apos;{target_parent}&apos; for the export does not exist.</source>
        <comment>export.folder_export_does_not</comment>
        <translation>用于导出的文件夹“{target_parent}”不存在。</translation>
    </message>
    <message>
        <source>Feature cache off at freeze point {position}: {reason}.</source>
        <comment>feature_cache.feature_cache_off_freeze</comment>
        <translation>冻结点 {position} 处不使用特征缓存：{reason}。</translation>
    </message>
    <message>
        <source>Frozen-layer features ({size}) exceed the memory budget; keeping them in a temporary file in {folder} (slower than memory, much faster than recomputing).</source>
        <comment>feature_cache.frozen_layer_features_exceed</comment>
        <translation>冻结层特征（{size}）超出内存预算；改存到 {folder} 中的临时文件（比内存慢，但比重新计算快得多）。</translation>
    </message>
    <message>
        <source>Calibrating the unfamiliar-image check {done}/{total}</source>
        <comment>features.calibrating</comment>
        <translation>正在校准陌生图像检查 {done}/{total}</translation>
    </message>
    <message>
        <source>Computing features {done}/{total}</source>
        <comment>features.computing</comment>
        <translation>正在计算特征 {done}/{total}</translation>
    </message>
    <message>
        <source>Computing embeddings {done}/{total}</source>
        <comment>features.embeddings</comment>
        <translation>正在计算嵌入特征 {done}/{total}</translation>
    </message>
    <message>
        <source>Computing frozen-layer features (training) {done}/{total}</source>
        <comment>features.frozen_training</comment>
        <translation>正在计算冻结层特征（训练）{done}/{total}</translation>
    </message>
    <message>
        <source>Computing frozen-layer features (validation) {done}/{total}</source>
        <comment>features.frozen_validation</comment>
        <translation>正在计算冻结层特征（验证）{done}/{total}</translation>
    </message>
    <message>
        <source>Auto: {candidate} ran out of memory with batch size {batch}; retrying with {half_batch}.</source>
        <comment>finetune.auto_ran_out_memory</comment>
        <translation>自动搜索：{candidate} 在批大小 {batch} 时内存不足；改用 {half_batch} 重试。</translation>
    </message>
    <message>
        <source>out of memory even with batch size {batch}</source>
        <comment>finetune.out_of_memory_smallest_batch</comment>
        <translation>即使批大小为 {batch} 仍内存不足</translation>
    </message>
    <message>
        <source>All {done} epochs were trained; writing the model from the best checkpoint, without training.</source>
        <comment>finish.all_epochs_were_trained</comment>
        <translation>全部 {done} 轮已训练完毕；从最佳检查点写出模型，无需训练。</translation>
    </message>
    <message>
        <source>The checkpoints in &apos;{folder}&apos; hold {done} of {epochs} epochs; continue the run to train the rest.</source>
        <comment>finish.checkpoints_hold_epochs_continue</comment>
        <translation>“{folder}”中的检查点包含 {epochs} 轮中的 {done} 轮；请继续该训练运行以训练剩余部分。</translation>
    </message>
    <message>
        <source>No checkpoint in &apos;{folder}&apos; to write a model from; train the run again instead.</source>
        <comment>finish.no_checkpoint_write_model</comment>
        <translation>“{folder}”中没有可用来写出模型的检查点；请改为重新训练该运行。</translation>
    </message>
    <message>
        <source>--tensorboard &apos;{target}&apos; is a file, not a folder{where}; give a folder for the logs.</source>
        <comment>finish.tensorboard_file_not_folder</comment>
        <translation>--tensorboard“{target}”是文件，不是文件夹{where}；请为日志指定一个文件夹。</translation>
    </message>
    <message>
        <source>--tensorboard &apos;{target}&apos;: the folder &apos;{existing}&apos; is not writable; give a folder you can write to.</source>
        <comment>finish.tensorboard_folder_not_writable</comment>
        <translation>--tensorboard“{target}”：文件夹“{existing}”不可写；请指定一个你可以写入的文件夹。</translation>
    </message>
    <message>
        <source>The freeze point must be between {lowest} and {total} (got {n}); a negative count is counted from the end.</source>
        <comment>freeze.freeze_point_must_between</comment>
        <translation>冻结点必须在 {lowest} 到 {total} 之间（当前为 {n}）；负数表示从末尾倒数。</translation>
    </message>
    <message>
        <source>&apos;{n}&apos; is neither a layer nor a stage of this backbone.</source>
        <comment>freeze.neither_layer_nor_stage</comment>
        <translation>“{n}”既不是该骨干网络的层，也不是它的阶段。</translation>
    </message>
    <message>
        <source>This model has no layer with a spatial feature map to explain.</source>
        <comment>gradcam.model_no_layer_spatial</comment>
        <translation>该模型没有可用于解释的带空间特征图的层。</translation>
    </message>
    <message>
        <source>The model has no spatial layer &apos;{name}&apos; (the last ones are: {last_layers}).</source>
        <comment>gradcam.model_no_spatial_layer</comment>
        <translation>模型中没有空间层“{name}”（最后几层是：{last_layers}）。</translation>
    </message>
    <message>
        <source>Keep-together rule (--group-by) is empty: give &apos;subfolder&apos; or a regular expression such as &apos;^(slide\d+)_&apos;.</source>
        <comment>groups.keep_together_rule_group</comment>
        <translation>分组规则（--group-by）为空：请填写“subfolder”或正则表达式，例如“^(slide\d+)_”。</translation>
    </message>
    <message>
        <source>Keep-together rule (--group-by) &apos;{text}&apos; is not a valid regular expression ({error}); use &apos;subfolder&apos; or a pattern such as &apos;^(slide\d+)_&apos;.</source>
        <comment>groups.keep_together_rule_group_2</comment>
        <translation>分组规则（--group-by）“{text}”不是有效的正则表达式（{error}）；请使用“subfolder”或类似“^(slide\d+)_”的模式。</translation>
    </message>
    <message>
        <source>Keeping images together by &apos;{spec}&apos; leaves {n_groups:plural:group}: too few to split into training and validation. Give a validation folder (--val-dir) or a finer rule.</source>
        <comment>groups.keeping_images_together_leaves</comment>
        <translation>按“{spec}”分组后只剩 {n_groups} 个分组：太少，无法划分为训练集和验证集。请指定验证文件夹（--val-dir）或使用更细的规则。</translation>
    </message>
    <message>
        <source>Too few images (or groups) per class for cross-validation: it needs at least 2.</source>
        <comment>groups.too_few_images_groups</comment>
        <translation>每个类别的图像（或分组）太少，无法进行交叉验证：至少需要 2 个。</translation>
    </message>
    <message>
        <source>The validation split must be between 0 and 1 (got {val_fraction}).</source>
        <comment>groups.validation_split_must_between</comment>
        <translation>验证比例必须在 0 和 1 之间（当前为 {val_fraction}）。</translation>
    </message>
    <message>
        <source>&apos;{out}&apos; exists and is not an earlier report, so it will not be overwritten; choose another name.</source>
        <comment>html_report.exists_not_earlier_report</comment>
        <translation>“{out}”已存在且不是之前的报告，因此不会被覆盖；请换一个名称。</translation>
    </message>
    <message>
        <source>&apos;{out}&apos; is a folder or a link; give a file name such as report.html.</source>
        <comment>html_report.folder_link_give_file</comment>
        <translation>“{out}”是文件夹或链接；请指定一个文件名，例如 report.html。</translation>
    </message>
    <message>
        <source>The folder &apos;{target_parent}&apos; for the report does not exist.</source>
        <comment>html_report.folder_report_does_not</comment>
        <translation>用于报告的文件夹“{target_parent}”不存在。</translation>
    </message>
    <message>
        <source>Cannot use the image cache folder {folder} ({reason}), and decoding {n_files:plural:image} at {size} px in memory needs about {needed}; use a smaller --image-size or fix the cache folder.</source>
        <comment>image_cache.cannot_use_image_cache</comment>
        <translation>无法使用图像缓存文件夹 {folder}（{reason}），而在内存中以 {size} 像素解码 {n_files} 张图像约需 {needed}；请使用更小的 --image-size 或修复缓存文件夹。</translation>
    </message>
    <message>
        <source>Cannot use the image cache folder {folder} ({error}); decoding in memory.</source>
        <comment>image_cache.cannot_use_image_cache_2</comment>
        <translation>无法使用图像缓存文件夹 {folder}（{error}）；改为在内存中解码。</translation>
    </message>
    <message>
        <source>Could not save decoded images to the cache ({error}); continuing without it.</source>
        <comment>image_cache.could_not_save_decoded</comment>
        <translation>无法将已解码的图像保存到缓存（{error}）；不使用缓存继续。</translation>
    </message>
    <message>
        <source>Decoded {decoded:plural:new or changed image}; {n_files} came from the cache.</source>
        <comment>image_cache.decoded_came_from_cache</comment>
        <translation>解码了 {decoded} 张新增或已更改的图像；{n_files} 张来自缓存。</translation>
    </message>
    <message>
        <source>The decoded images ({size_mb:.0f} MB) exceed the memory budget ({budget:.0f} MB); using a memory-mapped file in {folder}.</source>
        <comment>image_cache.decoded_images_mb_exceed</comment>
        <translation>解码后的图像（{size_mb:.0f} MB）超出内存预算（{budget:.0f} MB）；改用 {folder} 中的内存映射文件。</translation>
    </message>
    <message>
        <source>Decoding {n_images:plural:image} at {size} px needs about {needed} ({fit} fit in memory), and the cache folder {folder} has {free} free; use a smaller --image-size or free some space.</source>
        <comment>image_cache.decoding_px_needs_about</comment>
        <translation>以 {size} 像素解码 {n_images} 张图像约需 {needed}（内存可容纳 {fit}），而缓存文件夹 {folder} 只有 {free} 可用；请使用更小的 --image-size 或释放一些空间。</translation>
    </message>
    <message>
        <source>Image size (--image-size) must be a whole number of pixels (got {size}).</source>
        <comment>image_cache.image_size_image_size</comment>
        <translation>图像尺寸（--image-size）必须是整数像素（当前为 {size}）。</translation>
    </message>
    <message>
        <source>Read {n_rows:plural:decoded image} from the cache.</source>
        <comment>image_cache.read_from_cache</comment>
        <translation>从缓存读取了 {n_rows} 张已解码图像。</translation>
    </message>
    <message>
        <source>Could not copy the weights file {local} into Keras&apos; weights folder {cache}: {disk_reason}. Make room there (or set KERAS_HOME to a folder you can write to), then try again.</source>
        <comment>keras_hook.could_not_copy_weights</comment>
        <translation>无法将权重文件 {local} 复制到 Keras 的权重文件夹 {cache}：{disk_reason}。请在那里腾出空间（或将 KERAS_HOME 设为你可以写入的文件夹），然后重试。</translation>
    </message>
    <message>
        <source>Ask for at least one suggestion.</source>
        <comment>label.ask_least_one_suggestion</comment>
        <translation>请至少请求一条建议。</translation>
    </message>
    <message>
        <source>Ranking the unlabelled images</source>
        <comment>label.ranking_unlabelled_images</comment>
        <translation>正在为未标注的图像排序</translation>
    </message>
    <message>
        <source>Reading the folders</source>
        <comment>label.reading_folders</comment>
        <translation>正在读取文件夹</translation>
    </message>
    <message>
        <source>Suggestions ready</source>
        <comment>label.suggestions_ready</comment>
        <translation>建议已就绪</translation>
    </message>
    <message>
        <source>The unlabelled folder must not be the dataset folder or inside it (it would be taken for a class).</source>
        <comment>label.unlabelled_folder_must_not</comment>
        <translation>未标注文件夹不能是数据集文件夹，也不能位于其中（否则它会被当作一个类别）。</translation>
    </message>
    <message>
        <source>Could not save the converted {title} weights in {target_parent}: {disk_reason}. Make room there (they need about {cache_mb} MB) or set FTS_CACHE_DIR to a folder you can write to, then try again.</source>
        <comment>lite_weights.could_not_save_converted</comment>
        <translation>无法将转换后的 {title} 权重保存到 {target_parent}：{disk_reason}。请在那里腾出空间（约需 {cache_mb} MB），或将 FTS_CACHE_DIR 设为你可以写入的文件夹，然后重试。</translation>
    </message>
    <message>
        <source>Keras layer {layer_name} has no PyTorch counterpart</source>
        <comment>lite_weights.keras_layer_no_pytorch</comment>
        <translation>Keras 层 {layer_name} 没有对应的 PyTorch 层</translation>
    </message>
    <message>
        <source>model lacks layers the weights need: {missing}</source>
        <comment>lite_weights.model_lacks_layers_weights</comment>
        <translation>模型缺少权重所需的层：{missing}</translation>
    </message>
    <message>
        <source>PyTorch tensor {key} is missing from the state dict</source>
        <comment>lite_weights.pytorch_tensor_missing_from</comment>
        <translation>状态字典中缺少 PyTorch 张量 {key}</translation>
    </message>
    <message>
        <source>{n_unused} PyTorch tensor(s) not used: {unused}</source>
        <comment>lite_weights.pytorch_tensor_s_not</comment>
        <translation>{n_unused} 个 PyTorch 张量未被使用：{unused}</translation>
    </message>
    <message>
        <source>PyTorch tensor {key} would be used twice</source>
        <comment>lite_weights.pytorch_tensor_would_used</comment>
        <translation>PyTorch 张量 {key} 会被使用两次</translation>
    </message>
    <message>
        <source>shape mismatch for {layer_name} &lt;- {tensor}: {shapes} vs {expected}</source>
        <comment>lite_weights.shape_mismatch_vs</comment>
        <translation>{layer_name} &lt;- {tensor} 的形状不匹配：{shapes} 与 {expected}</translation>
    </message>
    <message>
        <source>unexpected weighted layer {layer_name} ({layer_type})</source>
        <comment>lite_weights.unexpected_weighted_layer</comment>
        <translation>意外的带权重层 {layer_name}（{layer_type}）</translation>
    </message>
    <message>
        <source>The folder &apos;{data_dir}&apos; does not exist.</source>
        <comment>lr_find.folder_does_not_exist</comment>
        <translation>文件夹“{data_dir}”不存在。</translation>
    </message>
    <message>
        <source>Learning-rate sweep {step}/{steps}: rate {lr:.2g}, loss {loss:.3f}</source>
        <comment>lr_find.learning_rate_sweep_rate</comment>
        <translation>学习率扫描 {step}/{steps}：学习率 {lr:.2g}，损失 {loss:.3f}</translation>
    </message>
    <message>
        <source>Learning-rate sweep: {steps} steps from {start_lr:g} to {end_lr:g}, training {trained}.</source>
        <comment>lr_find.learning_rate_sweep_steps</comment>
        <translation>学习率扫描：{steps} 步，从 {start_lr:g} 到 {end_lr:g}，训练{trained}。</translation>
    </message>
    <message>
        <source>The loss was not finite at any rate of the sweep; check the images and the weights.</source>
        <comment>lr_find.loss_not_finite_any</comment>
        <translation>扫描中所有学习率下的损失都不是有限值；请检查图像和权重。</translation>
    </message>
    <message>
        <source>Steps (--steps) must be a whole number from {MIN_STEPS} to {MAX_STEPS} (got {steps}).</source>
        <comment>lr_find.steps_steps_must_whole</comment>
        <translation>步数（--steps）必须是 {MIN_STEPS} 到 {MAX_STEPS} 之间的整数（当前为 {steps}）。</translation>
    </message>
    <message>
        <source>The sweep needs 0 &lt; start &lt; end (got {start_lr:g} to {end_lr:g}).</source>
        <comment>lr_find.sweep_needs_start_end</comment>
        <translation>扫描需要 0 &lt; 起始值 &lt; 结束值（当前为 {start_lr:g} 到 {end_lr:g}）。</translation>
    </message>
    <message>
        <source>Unknown suggestion method &apos;{method}&apos; (choose {SUGGESTIONS}).</source>
        <comment>lr_find.unknown_suggestion_method_choose</comment>
        <translation>未知的建议方法“{method}”（请选择 {SUGGESTIONS}）。</translation>
    </message>
    <message>
        <source>{what} needs {describe} at {image_size} px with batch size {batch_size}; this machine has {gb} free. Use a smaller --image-size or --batch-size.</source>
        <comment>memory.needs_px_batch_size</comment>
        <translation>{what}在 {image_size} 像素、批大小 {batch_size} 时需要{describe}；这台机器只有 {gb} 可用。请使用更小的 --image-size 或 --batch-size。</translation>
    </message>
    <message>
        <source>Tries embeddings and fine-tuning recipes by cross-validation on the training images within a time budget, then trains the best one and fills in its settings</source>
        <comment>method.auto.description</comment>
        <translation>在时间预算内，用训练图像交叉验证尝试嵌入特征和微调方案，然后训练最佳方案并填入其设置</translation>
    </message>
    <message>
        <source>Auto</source>
        <comment>method.auto.label</comment>
        <translation>自动搜索</translation>
    </message>
    <message>
        <source>Auto (recommended)</source>
        <comment>method.auto.title</comment>
        <translation>自动搜索（推荐）</translation>
    </message>
    <message>
        <source>Trains the new head, then adapts the unfrozen layers (epochs)</source>
        <comment>method.finetune.description</comment>
        <translation>先训练新的分类头，再调整未冻结的层（按轮训练）</translation>
    </message>
    <message>
        <source>fine-tuning</source>
        <comment>method.finetune.label</comment>
        <translation>微调</translation>
    </message>
    <message>
        <source>Fine-tune the network</source>
        <comment>method.finetune.title</comment>
        <translation>微调网络</translation>
    </message>
    <message>
        <source>Features from the frozen network, then logistic regression; the freeze slider picks the feature layer</source>
        <comment>method.logreg.description</comment>
        <translation>从冻结的网络提取特征，再用逻辑回归分类；冻结滑块选择特征层</translation>
    </message>
    <message>
        <source>embeddings + logistic regression</source>
        <comment>method.logreg.label</comment>
        <translation>嵌入特征 + 逻辑回归</translation>
    </message>
    <message>
        <source>Embeddings + logistic regression</source>
        <comment>method.logreg.title</comment>
        <translation>嵌入特征 + 逻辑回归</translation>
    </message>
    <message>
        <source>Features from the frozen network, then a linear SVM with calibrated probabilities; the freeze slider picks the feature layer</source>
        <comment>method.svm.description</comment>
        <translation>从冻结的网络提取特征，再用输出校准概率的线性 SVM 分类；冻结滑块选择特征层</translation>
    </message>
    <message>
        <source>embeddings + linear SVM</source>
        <comment>method.svm.label</comment>
        <translation>嵌入特征 + 线性 SVM</translation>
    </message>
    <message>
        <source>Embeddings + SVM</source>
        <comment>method.svm.title</comment>
        <translation>嵌入特征 + SVM</translation>
    </message>
    <message>
        <source>{label} needs images of at least {min_input_size} px (got {input_size}).</source>
        <comment>model.needs_images_least_px</comment>
        <translation>{label} 需要至少 {min_input_size} 像素的图像（当前为 {input_size}）。</translation>
    </message>
    <message>
        <source>&apos;{source_name}&apos; is already in the class &apos;{class_name}&apos;.</source>
        <comment>move_file.already_class</comment>
        <translation>“{source_name}”已经属于类别“{class_name}”。</translation>
    </message>
    <message>
        <source>&apos;{class_name}&apos; already has a file named &apos;{source_name}&apos;; nothing was moved (rename one of them first).</source>
        <comment>move_file.already_file_named_nothing</comment>
        <translation>“{class_name}”中已有名为“{source_name}”的文件；没有移动任何内容（请先重命名其中一个）。</translation>
    </message>
    <message>
        <source>&apos;{class_name}&apos; already has a file named &apos;{source_name}&apos;; nothing was moved.</source>
        <comment>move_file.already_file_named_nothing_2</comment>
        <translation>“{class_name}”中已有名为“{source_name}”的文件；没有移动任何内容。</translation>
    </message>
    <message>
        <source>Could not copy &apos;{source_name}&apos; to &apos;{class_name}&apos; ({reason}); nothing was moved.</source>
        <comment>move_file.could_not_copy_nothing</comment>
        <translation>无法将“{source_name}”复制到“{class_name}”（{reason}）；没有移动任何内容。</translation>
    </message>
    <message>
        <source>Could not move &apos;{source_name}&apos; to &apos;{class_name}&apos;: could not remove it from its folder ({reason}); nothing was moved.</source>
        <comment>move_file.could_not_move_could</comment>
        <translation>无法将“{source_name}”移动到“{class_name}”：无法将它从原文件夹中删除（{reason}）；没有移动任何内容。</translation>
    </message>
    <message>
        <source>Could not move &apos;{source_name}&apos; to &apos;{class_name}&apos; ({reason}); nothing was moved.</source>
        <comment>move_file.could_not_move_nothing</comment>
        <translation>无法将“{source_name}”移动到“{class_name}”（{reason}）；没有移动任何内容。</translation>
    </message>
    <message>
        <source>The data folder &apos;{root}&apos; has no class folder &apos;{class_name}&apos;.</source>
        <comment>move_file.data_folder_no_class</comment>
        <translation>数据文件夹“{root}”中没有类别文件夹“{class_name}”。</translation>
    </message>
    <message>
        <source>&apos;{source}&apos; is not an image inside the data folder &apos;{root}&apos;.</source>
        <comment>move_file.not_image_inside_data</comment>
        <translation>“{source}”不是数据文件夹“{root}”中的图像。</translation>
    </message>
    <message>
        <source>&apos;{path}&apos; cannot be written: the folder &apos;{place}&apos; takes no new files ({reason}).</source>
        <comment>outputs.cannot_written_folder_takes</comment>
        <translation>无法写入“{path}”：文件夹“{place}”不接受新文件（{reason}）。</translation>
    </message>
    <message>
        <source>&apos;{path}&apos; is a file, not a folder; choose a folder for this output.</source>
        <comment>outputs.file_not_folder_choose</comment>
        <translation>“{path}”是文件，不是文件夹；请为此输出选择一个文件夹。</translation>
    </message>
    <message>
        <source>&apos;{place}&apos; is a file, not a folder, so &apos;{path}&apos; cannot be made.</source>
        <comment>outputs.file_not_folder_so</comment>
        <translation>“{place}”是文件，不是文件夹，因此无法创建“{path}”。</translation>
    </message>
    <message>
        <source>&apos;{path}&apos; is a folder, not a file; choose a file name for this output.</source>
        <comment>outputs.folder_not_file_choose</comment>
        <translation>“{path}”是文件夹，不是文件；请为此输出选择一个文件名。</translation>
    </message>
    <message>
        <source>&apos;{out}&apos; is inside the dataset folder &apos;{dataset}&apos;, which is only ever read: the next training would take what is written there for images. Choose a place outside it.</source>
        <comment>outputs.inside_dataset_folder_which</comment>
        <translation>“{out}”位于数据集文件夹“{dataset}”内，而该文件夹只会被读取：下次训练会把写在那里的内容当作图像。请选择它以外的位置。</translation>
    </message>
    <message>
        <source>Explaining {done}/{n_images}</source>
        <comment>overlays.explaining</comment>
        <translation>正在解释 {done}/{n_images}</translation>
    </message>
    <message>
        <source>Precision: {why}.</source>
        <comment>precision.precision</comment>
        <translation>精度：{why}。</translation>
    </message>
    <message>
        <source>Copied {done} of {n_items} images</source>
        <comment>predict.copied_images</comment>
        <translation>已复制 {done}/{n_items} 张图像</translation>
    </message>
    <message>
        <source>Reading images</source>
        <comment>predict.reading_images</comment>
        <translation>正在读取图像</translation>
    </message>
    <message>
        <source>Could not save the model to &apos;{target}&apos;: {reason}; nothing was written there and a model already there is unchanged.</source>
        <comment>recorder.unsaved</comment>
        <translation>无法将模型保存到“{target}”：{reason}；那里没有写入任何内容，已有的模型保持不变。</translation>
    </message>
    <message>
        <source>Could not save the model to &apos;{target}&apos;: {reason}; nothing was written there and a model already there is unchanged. The trained model is kept in run {run_id}&apos;s checkpoints ({folder}): free some space, or write it elsewhere without training with &apos;finetune-studio train --resume {run_id} --out OTHER_FOLDER&apos;.</source>
        <comment>recorder.unsaved_in_run</comment>
        <translation>无法将模型保存到“{target}”：{reason}；那里没有写入任何内容，已有的模型保持不变。训练好的模型保存在训练运行 {run_id} 的检查点中（{folder}）：请释放一些空间，或者无需重新训练，用“finetune-studio train --resume {run_id} --out OTHER_FOLDER”将它写到别处。</translation>
    </message>
    <message>
        <source>Cannot read the counts summary &apos;{path}&apos; ({error}); give a file written by &apos;predict FOLDER --summary&apos;.</source>
        <comment>report.cannot_read_counts_summary</comment>
        <translation>无法读取计数汇总“{path}”（{error}）；请指定由“predict FOLDER --summary”写入的文件。</translation>
    </message>
    <message>
        <source>&apos;{run_id}&apos; is not a model bundle (a folder with model.keras, labels.json and config.json).</source>
        <comment>report.not_model_bundle_folder</comment>
        <translation>“{run_id}”不是模型包（应是包含 model.keras、labels.json 和 config.json 的文件夹）。</translation>
    </message>
    <message>
        <source>Continuing run {id} after epoch {done} of {epochs}.</source>
        <comment>runs.continuing_run_after_epoch</comment>
        <translation>从第 {done}/{epochs} 轮之后继续训练运行 {id}。</translation>
    </message>
    <message>
        <source>The images in {data_dir} changed since run {id} started; the continued run trains on the folder as it is now.</source>
        <comment>runs.images_changed_since_run</comment>
        <translation>自训练运行 {id} 开始以来，{data_dir} 中的图像已改变；继续的训练运行将使用该文件夹的当前内容。</translation>
    </message>
    <message>
        <source>Run {id} has already finished {done} of {epochs} epochs; give --epochs N with N larger than {done} to train it further.</source>
        <comment>runs.run_already_finished_epochs</comment>
        <translation>训练运行 {id} 已完成 {epochs} 轮中的 {done} 轮；要继续训练，请用 --epochs N 指定大于 {done} 的 N。</translation>
    </message>
    <message>
        <source>Run {id} has no checkpoint to continue from (it stopped before its first epoch ended, or its folder was deleted); train it again instead.</source>
        <comment>runs.run_no_checkpoint_continue</comment>
        <translation>训练运行 {id} 没有可继续的检查点（它在第一轮结束前就停止了，或其文件夹已被删除）；请改为重新训练。</translation>
    </message>
    <message>
        <source>Run {id} ({method}) has no epochs to continue; fitting it again with the same settings.</source>
        <comment>runs.run_no_epochs_continue</comment>
        <translation>训练运行 {id}（{method}）没有可继续的轮次；用相同设置重新拟合。</translation>
    </message>
    <message>
        <source>Run {id} is still running; it can be continued once it has stopped.</source>
        <comment>runs.run_still_running_can</comment>
        <translation>训练运行 {id} 仍在运行；停止后才能继续。</translation>
    </message>
    <message>
        <source>Run {id} trained all {epochs} epochs but its model was never written.</source>
        <comment>runs.run_trained_all_epochs</comment>
        <translation>训练运行 {id} 已训练全部 {epochs} 轮，但其模型从未写出。</translation>
    </message>
    <message>
        <source>That model is no longer in memory and its kept copy is gone; train it again before saving.</source>
        <comment>save.model_no_longer_memory</comment>
        <translation>该模型已不在内存中，其保留的副本也已不存在；请重新训练后再保存。</translation>
    </message>
    <message>
        <source>&apos;{root}&apos; contains no class folders. Put the images of each class into their own subfolder, e.g. cells/healthy/*.jpg and cells/infected/*.jpg.</source>
        <comment>scan.contains_no_class_folders</comment>
        <translation>“{root}”中没有类别文件夹。请把每个类别的图像放进各自的子文件夹，例如 cells/healthy/*.jpg 和 cells/infected/*.jpg。</translation>
    </message>
    <message>
        <source>Every class needs at least {min_per_class:plural:usable image}; too few in {small}.</source>
        <comment>scan.every_class_needs_least</comment>
        <translation>每个类别至少需要 {min_per_class} 张可用图像；以下类别图像太少：{small}。</translation>
    </message>
    <message>
        <source>The folder &apos;{root}&apos; does not exist or is not a folder.</source>
        <comment>scan.folder_does_not_exist</comment>
        <translation>文件夹“{root}”不存在或不是文件夹。</translation>
    </message>
    <message>
        <source>Found only {n_class_names:plural:class folder} in &apos;{root}&apos;. A classifier needs at least two classes: make one subfolder per class.</source>
        <comment>scan.found_only_classifier_needs</comment>
        <translation>在“{root}”中只找到 {n_class_names} 个类别文件夹。分类器至少需要两个类别：请为每个类别建一个子文件夹。</translation>
    </message>
    <message>
        <source>No usable images in &apos;{root}&apos;: its class folders hold no files. Supported file types: {extensions}.</source>
        <comment>scan.no_files</comment>
        <translation>“{root}”中没有可用的图像：其类别文件夹中没有文件。支持的文件类型：{extensions}。</translation>
    </message>
    <message>
        <source>No images to use in &apos;{root}&apos;: all {n_excluded:plural:image} are excluded from training (Include all again in the Data panel, or audit --clear-exclusions).</source>
        <comment>scan.no_images_use_all</comment>
        <translation>“{root}”中没有可用的图像：全部 {n_excluded} 张图像都被排除在训练之外（在数据面板中重新全部包含，或使用 audit --clear-exclusions）。</translation>
    </message>
    <message>
        <source>No usable images in &apos;{root}&apos;: {n_skipped:plural:file} skipped ({kinds}). Supported file types: {extensions}.</source>
        <comment>scan.no_usable_images</comment>
        <translation>“{root}”中没有可用的图像：跳过了 {n_skipped} 个文件（{kinds}）。支持的文件类型：{extensions}。</translation>
    </message>
    <message>
        <source>Reading images {done}/{total}</source>
        <comment>scan.reading_images</comment>
        <translation>正在读取图像 {done}/{total}</translation>
    </message>
    <message>
        <source>Only {n_train:plural:training image} against {n_val} for validation: the model learns from very little. A validation split of 0.1 to 0.3 is usual.</source>
        <comment>scan.split_warning</comment>
        <translation>只有 {n_train} 张训练图像，而验证图像有 {n_val} 张：模型能学习的内容很少。验证比例通常为 0.1 到 0.3。</translation>
    </message>
    <message>
        <source>Every class needs at least {min_per_class:plural:usable image}; too few in {small}. Excluded images do not count: include them again in the Data panel, or audit --clear-exclusions.</source>
        <comment>scan.too_few_images_excluded</comment>
        <translation>每个类别至少需要 {min_per_class} 张可用图像；以下类别图像太少：{small}。被排除的图像不计入：请在数据面板中重新包含它们，或使用 audit --clear-exclusions。</translation>
    </message>
    <message>
        <source>The validation folder &apos;{root}&apos; must have the same class folders as the training folder (missing {missing}; unexpected {unexpected}).</source>
        <comment>scan.validation_classes_differ</comment>
        <translation>验证文件夹“{root}”必须与训练文件夹有相同的类别文件夹（缺少 {missing}；多出 {unexpected}）。</translation>
    </message>
    <message>
        <source>The validation folder &apos;{root}&apos; must have the same class folders as the training folder (missing {missing}).</source>
        <comment>scan.validation_classes_missing</comment>
        <translation>验证文件夹“{root}”必须与训练文件夹有相同的类别文件夹（缺少 {missing}）。</translation>
    </message>
    <message>
        <source>The validation folder &apos;{root}&apos; must have the same class folders as the training folder (unexpected {unexpected}).</source>
        <comment>scan.validation_classes_unexpected</comment>
        <translation>验证文件夹“{root}”必须与训练文件夹有相同的类别文件夹（多出 {unexpected}）。</translation>
    </message>
    <message>
        <source>Auto needs at least 2 training images of every class to cross-validate.</source>
        <comment>search.auto_needs_least_training</comment>
        <translation>自动搜索需要每个类别至少 2 张训练图像才能进行交叉验证。</translation>
    </message>
    <message>
        <source>This engine does not know the job {job}; restart the application.</source>
        <comment>server.engine_does_not_know</comment>
        <translation>该引擎不认识作业 {job}；请重新启动应用程序。</translation>
    </message>
    <message>
        <source>The class folder &apos;{folder}&apos; is a link; a sort never writes through a link (it could lead into a dataset and add images to a class). Remove the link or choose another sort folder.</source>
        <comment>sorting.link_refusal</comment>
        <translation>类别文件夹“{folder}”是一个链接；分拣从不通过链接写入（它可能指向某个数据集，把图像添加到某个类别中）。请删除该链接，或选择另一个分拣文件夹。</translation>
    </message>
    <message>
        <source>The bundle &apos;{folder}&apos; is damaged (config.json or labels.json).</source>
        <comment>source.bundle_damaged_config_json</comment>
        <translation>模型包“{folder}”已损坏（config.json 或 labels.json）。</translation>
    </message>
    <message>
        <source>The bundle file &apos;{path}&apos; could not be read ({error}).</source>
        <comment>source.bundle_file_could_not</comment>
        <translation>无法读取模型包文件“{path}”（{error}）。</translation>
    </message>
    <message>
        <source>&apos;{folder}&apos; is not a model bundle (a folder with {BUNDLE_FILES}).</source>
        <comment>source.not_model_bundle_folder</comment>
        <translation>“{folder}”不是模型包（应是包含 {BUNDLE_FILES} 的文件夹）。</translation>
    </message>
    <message>
        <source>That model is no longer in memory. Open it again with File › Open model….</source>
        <comment>state.model_no_longer_memory</comment>
        <translation>该模型已不在内存中。请用“文件 › 打开模型…”重新打开它。</translation>
    </message>
    <message>
        <source>Those results are no longer in the engine (it was restarted, or newer folders were classified since); classify the folder again.</source>
        <comment>state.those_results_no_longer</comment>
        <translation>这些结果已不在引擎中（引擎已重启，或之后又分类了新的文件夹）；请重新分类该文件夹。</translation>
    </message>
    <message>
        <source>This model&apos;s calibration file is damaged and was ignored: its probabilities are the raw ones.</source>
        <comment>statistics.damaged</comment>
        <translation>此模型的校准文件已损坏并被忽略：其概率为未校准的原始值。</translation>
    </message>
    <message>
        <source>Prediction sets at {coverage:.0%} coverage need at least {need} validation images; this model has {n}. Use a lower coverage or more labelled images.</source>
        <comment>statistics.too_few_for_sets</comment>
        <translation>覆盖率为 {coverage:.0%} 的预测集合至少需要 {need} 张验证图像；此模型只有 {n} 张。请降低覆盖率或增加已标注图像。</translation>
    </message>
    <message>
        <source>This model was saved before calibration: its probabilities are the raw ones.</source>
        <comment>statistics.uncalibrated</comment>
        <translation>此模型保存于校准功能之前：其概率为未校准的原始值。</translation>
    </message>
    <message>
        <source>The folder of the run store &apos;{path}&apos; cannot be made ({reason}).</source>
        <comment>store.folder_run_store_cannot</comment>
        <translation>无法创建运行记录库的文件夹“{path}”（{reason}）。</translation>
    </message>
    <message>
        <source>&apos;{run_id}&apos; names several runs ({items}, ...); give more of the id.</source>
        <comment>store.names_several_runs_give</comment>
        <translation>“{run_id}”对应多个训练运行（{items}……）；请提供更完整的 ID。</translation>
    </message>
    <message>
        <source>Run {id} is still running; stop it before deleting it.</source>
        <comment>store.run_still_running_stop</comment>
        <translation>训练运行 {id} 仍在运行；请先停止再删除。</translation>
    </message>
    <message>
        <source>The run store &apos;{path}&apos; could not be read or written ({text}){hint}</source>
        <comment>store.run_store_could_not</comment>
        <translation>无法读取或写入运行记录库“{path}”（{text}）{hint}</translation>
    </message>
    <message>
        <source>The run store &apos;{path}&apos; is damaged ({error}) and could not be moved aside ({reason}); move or delete it to start a fresh one.</source>
        <comment>store.run_store_damaged_could</comment>
        <translation>运行记录库“{path}”已损坏（{error}），且无法移到一旁（{reason}）；请移动或删除它，以便重新开始一个新的。</translation>
    </message>
    <message>
        <source>There is no run &apos;{run_id}&apos;.</source>
        <comment>store.there_no_run</comment>
        <translation>没有训练运行“{run_id}”。</translation>
    </message>
    <message>
        <source>There is no run &apos;{run_id}&apos; (see &apos;runs&apos; for the list).</source>
        <comment>store.there_no_run_see</comment>
        <translation>没有训练运行“{run_id}”（用“runs”查看列表）。</translation>
    </message>
    <message>
        <source>Checkpoints cannot be written: {problem}. Training goes on without checkpoints (the run cannot be continued if it is interrupted); the model is still saved at the end.</source>
        <comment>train.checkpoints_cannot_written_training</comment>
        <translation>无法写入检查点：{problem}。训练将在没有检查点的情况下继续（如果中断，该训练运行将无法继续）；结束时仍会保存模型。</translation>
    </message>
    <message>
        <source>The model folder &apos;{out}&apos; is inside the image folder &apos;{folder}&apos;, which is only ever read; choose a folder outside it.</source>
        <comment>train.model_folder_inside_image</comment>
        <translation>模型文件夹“{out}”位于图像文件夹“{folder}”内，而该文件夹只会被读取；请选择它以外的文件夹。</translation>
    </message>
    <message>
        <source>{n_both} groups by &apos;{group_by}&apos; have images in both the training and the validation folder (e.g. {both}): validation accuracy may be inflated.</source>
        <comment>trainer.groups_images_both_training</comment>
        <translation>按“{group_by}”划分的 {n_both} 个分组同时在训练文件夹和验证文件夹中有图像（例如 {both}）：验证准确率可能偏高。</translation>
    </message>
    <message>
        <source>No usable validation images remain after skipping unreadable files.</source>
        <comment>trainer.no_usable_validation_images</comment>
        <translation>跳过无法读取的文件后，没有剩下可用的验证图像。</translation>
    </message>
    <message>
        <source>Pixel augmentation is on: the frozen layers see new pixels every epoch, so their output cannot be cached; training reads decoded images and runs the whole network.</source>
        <comment>trainer.pixel_augmentation_frozen_layers</comment>
        <translation>已开启像素数据增强：冻结层每轮都会看到新的像素，因此其输出无法缓存；训练将读取已解码的图像并运行整个网络。</translation>
    </message>
    <message>
        <source>Stopped by the user; keeping the best epoch ({best_epoch}).</source>
        <comment>trainer.stopped_user_keeping_best</comment>
        <translation>已被用户停止；保留最佳轮次（{best_epoch}）。</translation>
    </message>
    <message>
        <source>Validation keeps groups by &apos;{group_by}&apos; whole: {train_groups} groups for training, {val_groups} for validation.</source>
        <comment>trainer.validation_keeps_groups_whole</comment>
        <translation>验证时按“{group_by}”保持分组完整：{train_groups} 个分组用于训练，{val_groups} 个用于验证。</translation>
    </message>
    <message>
        <source>Training stopped because the loss exploded to {loss:.3g} (it started near {reference:.3g}). Lower the learning rate (now {learning_rate:g}) and try again.</source>
        <comment>training.loss_exploded</comment>
        <translation>训练已停止，因为损失暴增到 {loss:.3g}（起始时约为 {reference:.3g}）。请降低学习率（当前为 {learning_rate:g}）后重试。</translation>
    </message>
    <message>
        <source>Training stopped because the loss became NaN or infinite. Lower the learning rate (now {learning_rate:g}) and try again.</source>
        <comment>training.loss_not_finite</comment>
        <translation>训练已停止，因为损失变成了 NaN 或无穷大。请降低学习率（当前为 {learning_rate:g}）后重试。</translation>
    </message>
    <message>
        <source>The model file in &apos;{folder}&apos; was refused: it holds {n_members} files.</source>
        <comment>untrusted.model_file_refused_holds</comment>
        <translation>“{folder}”中的模型文件被拒绝：它包含 {n_members} 个文件。</translation>
    </message>
    <message>
        <source>The model file in &apos;{folder}&apos; was refused: its {filename} would unpack to {file_size} (damaged or hostile).</source>
        <comment>untrusted.model_file_refused_would</comment>
        <translation>“{folder}”中的模型文件被拒绝：其中的 {filename} 解压后会达到 {file_size}（已损坏或有恶意）。</translation>
    </message>
    <message>
        <source>The ImageNet weights file {path} cannot be used: {reason}. Delete it, download it again and copy it to the same place, then try again. Or choose the offline backbone &apos;efficientnet_lite0&apos;.</source>
        <comment>weights.bad_file</comment>
        <translation>ImageNet 权重文件 {path} 无法使用：{reason}。请删除它，重新下载并复制到原位置，然后重试。也可以选择离线骨干网络“efficientnet_lite0”。</translation>
    </message>
    <message>
        <source>The ImageNet weights file {path} cannot be used: {reason}. Delete it, download it again from {url} and copy it to the same place, then try again. Or choose the offline backbone &apos;efficientnet_lite0&apos;.</source>
        <comment>weights.bad_file_from_url</comment>
        <translation>ImageNet 权重文件 {path} 无法使用：{reason}。请删除它，从 {url} 重新下载并复制到原位置，然后重试。也可以选择离线骨干网络“efficientnet_lite0”。</translation>
    </message>
    <message>
        <source>The ImageNet weights file &apos;{file_name}&apos; is not on this computer and could not be downloaded ({cause}). On a computer with internet access, download it from {url} and copy it into {cache_dir} (or into a folder named in the FTS_WEIGHTS_DIR setting), then try again. Alternatively choose the offline backbone &apos;efficientnet_lite0&apos;.</source>
        <comment>weights.unavailable</comment>
        <translation>ImageNet 权重文件“{file_name}”不在这台计算机上，且无法下载（{cause}）。请在能上网的计算机上从 {url} 下载，并复制到 {cache_dir}（或 FTS_WEIGHTS_DIR 设置所指定的文件夹），然后重试。也可以选择离线骨干网络“efficientnet_lite0”。</translation>
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
    <name>ExclusionsRow</name>
    <message>
        <source>Check my data</source>
        <translation>检查我的数据</translation>
    </message>
    <message>
        <source>Find duplicates (also between training and validation), likely wrong labels and outliers, using the chosen backbone</source>
        <translation>使用所选骨干网络查找重复图像（包括训练与验证之间的重复）、可能的标注错误和离群图像</translation>
    </message>
    <message>
        <source>Excluded images</source>
        <translation>已排除的图像</translation>
    </message>
    <message>
        <source>Include all again</source>
        <translation>全部重新纳入</translation>
    </message>
    <message>
        <source>Put every image you excluded from training back in</source>
        <translation>将您从训练中排除的所有图像重新纳入</translation>
    </message>
    <message>
        <source>{count} image excluded from training.</source>
        <translation>{count} 张图像已从训练中排除。</translation>
    </message>
    <message>
        <source>{count} images excluded from training.</source>
        <translation>{count} 张图像已从训练中排除。</translation>
    </message>
    <message>
        <source>Could not include the images again</source>
        <translation>无法重新纳入这些图像</translation>
    </message>
</context>
<context>
    <name>ExplainDialog</name>
    <message>
        <source>Where the model looked — {file}</source>
        <translation>模型关注的位置 — {file}</translation>
    </message>
    <message>
        <source>Explain the class:</source>
        <translation>解释类别：</translation>
    </message>
    <message>
        <source>Class to explain</source>
        <translation>要解释的类别</translation>
    </message>
    <message>
        <source>The heatmap of another class: where the image speaks for (or against) it</source>
        <translation>另一个类别的热力图：图像中支持（或反对）该类别的位置</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>ExplainView</name>
    <message>
        <source>Explain</source>
        <translation>解释</translation>
    </message>
    <message>
        <source>Explain predictions</source>
        <translation>解释预测</translation>
    </message>
    <message>
        <source>Show where the model looks: a heatmap (Grad-CAM) over each image, red where the image made the model choose its class. Click an image for a larger view.</source>
        <translation>显示模型关注的位置：在每张图像上叠加热力图（Grad-CAM），红色表示使模型选择该类别的区域。点击图像可查看大图。</translation>
    </message>
    <message>
        <source>Could not explain this image: {error}.</source>
        <translation>无法解释此图像：{error}。</translation>
    </message>
    <message>
        <source>Heatmap for “{label}” ({probability:.0%}); the model looked hardest at x = {x}, y = {y}.</source>
        <translation>“{label}”的热力图（{probability:.0%}）；模型最关注的位置为 x = {x}，y = {y}。</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>TFLite (float32)</source>
        <translation>TFLite (float32)</translation>
    </message>
    <message>
        <source>For phones, Raspberry Pi and instrument software: the app&apos;s exact answers.</source>
        <translation>适用于手机、树莓派和仪器软件：与本应用的结果完全一致。</translation>
    </message>
    <message>
        <source>TFLite int8</source>
        <translation>TFLite int8</translation>
    </message>
    <message>
        <source>Four times smaller and faster on microcontrollers and Edge TPUs; may lose a little accuracy (reported).</source>
        <translation>体积缩小为四分之一，在微控制器和 Edge TPU 上更快；可能损失少许准确率（会报告）。</translation>
    </message>
    <message>
        <source>For C#, C++, Java or Python programs through ONNX Runtime.</source>
        <translation>通过 ONNX Runtime 用于 C#、C++、Java 或 Python 程序。</translation>
    </message>
    <message>
        <source>TensorFlow SavedModel</source>
        <translation>TensorFlow SavedModel</translation>
    </message>
    <message>
        <source>For TensorFlow and TensorFlow Serving on a PC or a server.</source>
        <translation>用于电脑或服务器上的 TensorFlow 和 TensorFlow Serving。</translation>
    </message>
    <message>
        <source>Checked with {runtime} on 1 image ({folder}): the same top class as the app on {agreeing} of {images} images; largest probability difference {difference}.</source>
        <translation>已用 {runtime} 在 1 张图像（{folder}）上检查：{images} 张图像中有 {agreeing} 张的最高类别与本应用相同；最大概率差 {difference}。</translation>
    </message>
    <message>
        <source>Checked with {runtime} on 1 image: the same top class as the app on {agreeing} of {images} images; largest probability difference {difference}.</source>
        <translation>已用 {runtime} 在 1 张图像上检查：{images} 张图像中有 {agreeing} 张的最高类别与本应用相同；最大概率差 {difference}。</translation>
    </message>
    <message>
        <source>Checked with {runtime} on {images} images ({folder}): the same top class as the app on {agreeing} of {images} images; largest probability difference {difference}.</source>
        <translation>已用 {runtime} 在 {images} 张图像（{folder}）上检查：{images} 张图像中有 {agreeing} 张的最高类别与本应用相同；最大概率差 {difference}。</translation>
    </message>
    <message>
        <source>Checked with {runtime} on {images} images: the same top class as the app on {agreeing} of {images} images; largest probability difference {difference}.</source>
        <translation>已用 {runtime} 在 {images} 张图像上检查：{images} 张图像中有 {agreeing} 张的最高类别与本应用相同；最大概率差 {difference}。</translation>
    </message>
    <message>
        <source>its runtime</source>
        <translation>其运行时</translation>
    </message>
    <message>
        <source>Exported to {folder}.</source>
        <translation>已导出到 {folder}。</translation>
    </message>
    <message>
        <source>Accuracy {export} against the app&apos;s {app} ({points} points lower).</source>
        <translation>准确率 {export}，本应用为 {app}（低 {points} 个百分点）。</translation>
    </message>
    <message>
        <source>Accuracy {export} against the app&apos;s {app} ({points} points higher).</source>
        <translation>准确率 {export}，本应用为 {app}（高 {points} 个百分点）。</translation>
    </message>
    <message>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>&apos;{folder}&apos; holds a {earlier} export of model {model}. Replace it with the {format} export? The files there are deleted.</source>
        <translation>“{folder}”中有模型 {model} 的 {earlier} 导出。要用 {format} 导出替换它吗？其中的文件将被删除。</translation>
    </message>
    <message>
        <source>Export model</source>
        <translation>导出模型</translation>
    </message>
    <message>
        <source>Export format</source>
        <translation>导出格式</translation>
    </message>
    <message>
        <source>Clear the export folder</source>
        <translation>清除导出文件夹</translation>
    </message>
    <message>
        <source>Export folder</source>
        <translation>导出文件夹</translation>
    </message>
    <message>
        <source>A new folder for the model, labels.json and export.json</source>
        <translation>用于存放模型、labels.json 和 export.json 的新文件夹</translation>
    </message>
    <message>
        <source>Clear the check folder</source>
        <translation>清除检查文件夹</translation>
    </message>
    <message>
        <source>Check images folder</source>
        <translation>检查图像文件夹</translation>
    </message>
    <message>
        <source>Optional: images to check the export with (default: the validation images)</source>
        <translation>可选：用于检查导出结果的图像（默认：验证图像）</translation>
    </message>
    <message>
        <source>the model&apos;s validation images</source>
        <translation>模型的验证图像</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Save to</source>
        <translation>保存到</translation>
    </message>
    <message>
        <source>Check on</source>
        <translation>检查所用图像</translation>
    </message>
    <message>
        <source>Export check</source>
        <translation>导出检查</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Cancel or close</source>
        <translation>取消或关闭</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Export into a new folder</source>
        <translation>导出到新文件夹</translation>
    </message>
    <message>
        <source>Folder (*)</source>
        <translation>文件夹 (*)</translation>
    </message>
    <message>
        <source>Images to check the export with</source>
        <translation>用于检查导出结果的图像</translation>
    </message>
    <message>
        <source>Choose a folder to export into.</source>
        <translation>请选择要导出到的文件夹。</translation>
    </message>
    <message>
        <source>Replace the earlier export?</source>
        <translation>替换之前的导出？</translation>
    </message>
    <message>
        <source>Not exported: the earlier export was kept. Choose another folder.</source>
        <translation>未导出：已保留之前的导出。请选择其他文件夹。</translation>
    </message>
    <message>
        <source>Exporting as {format} and checking it against the app…</source>
        <translation>正在导出为 {format} 并与本应用对照检查…</translation>
    </message>
    <message>
        <source>Export cancelled; nothing was written.</source>
        <translation>导出已取消；未写入任何内容。</translation>
    </message>
    <message>
        <source>Not exported — see the message.</source>
        <translation>未导出——请查看消息。</translation>
    </message>
    <message>
        <source>Could not export the model</source>
        <translation>无法导出模型</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>FolderClassifyWindow</name>
    <message>
        <source>Classify a folder</source>
        <translation>分类文件夹</translation>
    </message>
    <message>
        <source>Classification progress</source>
        <translation>分类进度</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop classifying</source>
        <translation>停止分类</translation>
    </message>
    <message>
        <source>Stop after the current batch; the images classified so far stay</source>
        <translation>在当前批次后停止；已分类的图像会保留</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>汇总</translation>
    </message>
    <message>
        <source>Save as CSV…</source>
        <translation>另存为 CSV…</translation>
    </message>
    <message>
        <source>Save as CSV</source>
        <translation>另存为 CSV</translation>
    </message>
    <message>
        <source>One row per image: path, class, probability, the rest of the top 5, errors</source>
        <translation>每张图像一行：路径、类别、概率、前 5 名中的其余类别、错误</translation>
    </message>
    <message>
        <source>Sort into folders…</source>
        <translation>分拣到文件夹…</translation>
    </message>
    <message>
        <source>Sort into folders</source>
        <translation>分拣到文件夹</translation>
    </message>
    <message>
        <source>Copy each image into &lt;folder&gt;/&lt;class&gt;/, or uncertain/ below the threshold; the originals are never moved or changed</source>
        <translation>将每张图像复制到 &lt;folder&gt;/&lt;class&gt;/，低于阈值的复制到 uncertain/；原始文件绝不会被移动或更改</translation>
    </message>
    <message>
        <source>Every image in {folders} and its subfolders, by {model}.</source>
        <translation>{folders} 及其子文件夹中的每张图像，由{model}分类。</translation>
    </message>
    <message>
        <source>Every image in {folders} and its subfolders.</source>
        <translation>{folders} 及其子文件夹中的每张图像。</translation>
    </message>
    <message>
        <source>Listing and classifying…</source>
        <translation>正在列出并分类…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>{done} of {total} image</source>
        <translation>{done}/{total} 张图像</translation>
    </message>
    <message>
        <source>{done} of {total} images</source>
        <translation>{done}/{total} 张图像</translation>
    </message>
    <message>
        <source>{count} image classified…</source>
        <translation>已分类 {count} 张图像…</translation>
    </message>
    <message>
        <source>{count} images classified…</source>
        <translation>已分类 {count} 张图像…</translation>
    </message>
    <message>
        <source>Classified {count} image.</source>
        <translation>已分类 {count} 张图像。</translation>
    </message>
    <message>
        <source>Classified {count} images.</source>
        <translation>已分类 {count} 张图像。</translation>
    </message>
    <message>
        <source>{summary} {count} file could not be read (shown as “Unreadable”).</source>
        <translation>{summary}{count} 个文件无法读取（显示为“无法读取”）。</translation>
    </message>
    <message>
        <source>{summary} {count} files could not be read (shown as “Unreadable”).</source>
        <translation>{summary}{count} 个文件无法读取（显示为“无法读取”）。</translation>
    </message>
    <message>
        <source>Not classified</source>
        <translation>未分类</translation>
    </message>
    <message>
        <source>Could not classify the folder — see the message.</source>
        <translation>无法分类该文件夹 — 请查看消息。</translation>
    </message>
    <message>
        <source>Could not classify the folder</source>
        <translation>无法分类该文件夹</translation>
    </message>
    <message>
        <source>Save the classification as CSV</source>
        <translation>将分类结果另存为 CSV</translation>
    </message>
    <message>
        <source>CSV file (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Saving {path}…</source>
        <translation>正在保存 {path}…</translation>
    </message>
    <message>
        <source>Could not save the CSV file</source>
        <translation>无法保存 CSV 文件</translation>
    </message>
    <message>
        <source>Saved {count} row to {path}.</source>
        <translation>已将 {count} 行保存到 {path}。</translation>
    </message>
    <message>
        <source>Saved {count} rows to {path}.</source>
        <translation>已将 {count} 行保存到 {path}。</translation>
    </message>
    <message>
        <source>Sort copies into which folder?</source>
        <translation>将副本分拣到哪个文件夹？</translation>
    </message>
    <message>
        <source>Copy {count} image into class folders inside “{target}”? Images below {threshold:.0%} confidence, and those the model cannot decide between two or more classes for, go into “uncertain”. The originals are not moved or changed; a name that is taken gets a number.</source>
        <translation>将 {count} 张图像复制到“{target}”中的各类别文件夹？置信度低于 {threshold:.0%} 的图像，以及模型无法在两个或更多类别之间作出决定的图像，将放入“uncertain”。原始文件不会被移动或更改；重名的文件会加上编号。</translation>
    </message>
    <message>
        <source>Copy {count} images into class folders inside “{target}”? Images below {threshold:.0%} confidence, and those the model cannot decide between two or more classes for, go into “uncertain”. The originals are not moved or changed; a name that is taken gets a number.</source>
        <translation>将 {count} 张图像复制到“{target}”中的各类别文件夹？置信度低于 {threshold:.0%} 的图像，以及模型无法在两个或更多类别之间作出决定的图像，将放入“uncertain”。原始文件不会被移动或更改；重名的文件会加上编号。</translation>
    </message>
    <message>
        <source>Copying into {target}…</source>
        <translation>正在复制到 {target}…</translation>
    </message>
    <message>
        <source>Could not sort the images</source>
        <translation>无法分拣这些图像</translation>
    </message>
    <message>
        <source>{folder}/: {count} image</source>
        <translation>{folder}/：{count} 张图像</translation>
    </message>
    <message>
        <source>{folder}/: {count} images</source>
        <translation>{folder}/：{count} 张图像</translation>
    </message>
    <message>
        <source>Copied {count} image into {target}:</source>
        <translation>已将 {count} 张图像复制到 {target}：</translation>
    </message>
    <message>
        <source>Copied {count} images into {target}:</source>
        <translation>已将 {count} 张图像复制到 {target}：</translation>
    </message>
    <message>
        <source>{count} image not copied (unreadable).</source>
        <translation>{count} 张图像未复制（无法读取）。</translation>
    </message>
    <message>
        <source>{count} images not copied (unreadable).</source>
        <translation>{count} 张图像未复制（无法读取）。</translation>
    </message>
    <message>
        <source>Copied {count} image into {target}.</source>
        <translation>已将 {count} 张图像复制到 {target}。</translation>
    </message>
    <message>
        <source>Copied {count} images into {target}.</source>
        <translation>已将 {count} 张图像复制到 {target}。</translation>
    </message>
    <message>
        <source>Sorted into folders</source>
        <translation>已分拣到文件夹</translation>
    </message>
    <message>
        <source>{title}.</source>
        <translation>{title}。</translation>
    </message>
    <message>
        <source>Stopped after {count} image.</source>
        <translation>已在 {count} 张图像后停止。</translation>
    </message>
    <message>
        <source>Stopped after {count} images.</source>
        <translation>已在 {count} 张图像后停止。</translation>
    </message>
</context>
<context>
    <name>FolderResults</name>
    <message>
        <source>{file}
Could not be read: {error}</source>
        <translation>{file}
无法读取：{error}</translation>
    </message>
    <message>
        <source>{rank}. {label} — {probability:.1f} %</source>
        <translation>{rank}. {label} — {probability:.1f}%</translation>
    </message>
    <message>
        <source>Unlike any training image — this prediction may be meaningless.</source>
        <translation>与所有训练图像都不同 — 此预测可能没有意义。</translation>
    </message>
    <message>
        <source>Undecided: {classes}</source>
        <translation>未定：{classes}</translation>
    </message>
</context>
<context>
    <name>FolderResultsView</name>
    <message>
        <source>Show class</source>
        <translation>显示类别</translation>
    </message>
    <message>
        <source>Show only the images predicted as this class</source>
        <translation>只显示预测为此类别的图像</translation>
    </message>
    <message>
        <source>Only confidence below</source>
        <translation>仅显示置信度低于</translation>
    </message>
    <message>
        <source>Confidence threshold</source>
        <translation>置信度阈值</translation>
    </message>
    <message>
        <source>Below this the filter shows an image, and sorting puts it into &apos;uncertain&apos;</source>
        <translation>低于此值时，筛选会显示该图像，分拣会将其放入“uncertain”</translation>
    </message>
    <message>
        <source> %</source>
        <translation>%</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Classified images</source>
        <translation>已分类的图像</translation>
    </message>
    <message>
        <source>Click a column to sort; double-click an image to open it</source>
        <translation>点击列标题排序；双击图像将其打开</translation>
    </message>
    <message>
        <source>Select an image to see its top-5 classes.</source>
        <translation>选择一张图像以查看其前 5 个类别。</translation>
    </message>
    <message>
        <source>Top classes of the selected image</source>
        <translation>所选图像的最可能类别</translation>
    </message>
    <message>
        <source>All classes</source>
        <translation>所有类别</translation>
    </message>
    <message>
        <source>Unreadable files</source>
        <translation>无法读取的文件</translation>
    </message>
    <message>
        <source>{count} image</source>
        <translation>{count} 张图像</translation>
    </message>
    <message>
        <source>{count} images</source>
        <translation>{count} 张图像</translation>
    </message>
    <message>
        <source>{shown} of {count} image</source>
        <translation>{shown}/{count} 张图像</translation>
    </message>
    <message>
        <source>{shown} of {count} images</source>
        <translation>{shown}/{count} 张图像</translation>
    </message>
</context>
<context>
    <name>FreezePanel</name>
    <message>
        <source>Freeze</source>
        <translation>冻结</translation>
    </message>
    <message>
        <source>Frozen layers keep their ImageNet features, the rest adapt to your images. Few images? Freeze more.</source>
        <translation>冻结层保留其 ImageNet 特征，其余层适应你的图像。图像很少？那就多冻结一些。</translation>
    </message>
    <message>
        <source>Frozen layers</source>
        <translation>冻结层</translation>
    </message>
    <message>
        <source>Number of backbone layers frozen from the input side; ticks mark block ends. Hold Shift to pick any layer.</source>
        <translation>从输入端起冻结的骨干网络层数；刻度标出各模块的末端。按住 Shift 可选择任意层。</translation>
    </message>
    <message>
        <source>◂ input side: frozen</source>
        <translation>◂ 输入端：冻结</translation>
    </message>
    <message>
        <source>trainable: output side ▸</source>
        <translation>可训练：输出端 ▸</translation>
    </message>
    <message>
        <source>Reading the backbone&apos;s layers…</source>
        <translation>正在读取骨干网络的层…</translation>
    </message>
    <message>
        <source>Freeze summary</source>
        <translation>冻结概要</translation>
    </message>
    <message>
        <source>Any layer (no snapping)</source>
        <translation>任意层（不吸附）</translation>
    </message>
    <message>
        <source>Fine-grained freezing</source>
        <translation>精细冻结</translation>
    </message>
    <message>
        <source>Move the cut to any layer instead of block boundaries (or hold Shift)</source>
        <translation>将分界移到任意层，而不只是模块边界（或按住 Shift）</translation>
    </message>
    <message>
        <source>Recommended</source>
        <translation>推荐</translation>
    </message>
    <message>
        <source>Recommended freeze point</source>
        <translation>推荐的冻结点</translation>
    </message>
    <message>
        <source>Freeze everything except the last block</source>
        <translation>冻结除最后一个模块外的所有层</translation>
    </message>
    <message>
        <source>Use the network&apos;s final features</source>
        <translation>使用网络的最终特征</translation>
    </message>
    <message>
        <source>Could not read this backbone&apos;s layers: {message}</source>
        <translation>无法读取此骨干网络的层：{message}</translation>
    </message>
    <message>
        <source>Training from scratch: all {n} layers train ({params} M parameters). Freezing needs pretrained weights.</source>
        <translation>从头训练：全部 {n} 层都参与训练（{params} M 个参数）。冻结需要预训练权重。</translation>
    </message>
    <message>
        <source>Features: the network&apos;s final output ({layer}), averaged over the image — the whole network stays frozen</source>
        <translation>特征：网络的最终输出（{layer}），在整幅图像上取平均——整个网络保持冻结</translation>
    </message>
    <message>
        <source>Features: the output of {layer} (layer {n} of {total}), averaged over the image — the whole network stays frozen</source>
        <translation>特征：{layer} 的输出（第 {n}/{total} 层），在整幅图像上取平均——整个网络保持冻结</translation>
    </message>
    <message>
        <source>{description} — not cacheable here (slower)</source>
        <translation>{description}——此处无法缓存特征（较慢）</translation>
    </message>
    <message>
        <source>Frozen {n} / {total} layers — up to {layer} — trainable {trainable} of {params} parameters (new head included)</source>
        <translation>已冻结 {n} / {total} 层——至 {layer} 为止——可训练参数 {trainable}，共 {params}（含新分类头）</translation>
    </message>
    <message>
        <source>Frozen {n} / {total} layers — up to {layer} — trainable {trainable} of {params} parameters</source>
        <translation>已冻结 {n} / {total} 层——至 {layer} 为止——可训练参数 {trainable}，共 {params}</translation>
    </message>
    <message>
        <source>Frozen {n} / {total} layers — trainable {trainable} of {params} parameters (new head included)</source>
        <translation>已冻结 {n} / {total} 层——可训练参数 {trainable}，共 {params}（含新分类头）</translation>
    </message>
    <message>
        <source>Frozen {n} / {total} layers — trainable {trainable} of {params} parameters</source>
        <translation>已冻结 {n} / {total} 层——可训练参数 {trainable}，共 {params}</translation>
    </message>
</context>
<context>
    <name>GalleryDialog</name>
    <message>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Double-click shows the file&apos;s path</source>
        <translation>双击显示文件路径</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>{title}: {count} images (showing the first {shown})</source>
        <translation>{title}：{count} 张图像（显示前 {shown} 张）</translation>
    </message>
    <message>
        <source>{title}: 1 image</source>
        <translation>{title}：1 张图像</translation>
    </message>
    <message>
        <source>{title}: {count} images</source>
        <translation>{title}：{count} 张图像</translation>
    </message>
    <message>
        <source>true: {true}
predicted: {predicted} ({confidence})</source>
        <translation>真实：{true}
预测：{predicted}（{confidence}）</translation>
    </message>
</context>
<context>
    <name>GroupSetting</name>
    <message>
        <source>Keep images together</source>
        <translation>同组图像放在一起</translation>
    </message>
    <message>
        <source>Images of the same slide, animal, patient or plate stay on one side of the validation split, so the accuracy is measured on groups the model never saw</source>
        <translation>同一张切片、同一只动物、同一位患者或同一块培养板的图像在验证划分中只留在一侧，这样准确率是在模型从未见过的分组上测得的</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>subfolder</source>
        <translation>按子文件夹</translation>
    </message>
    <message>
        <source>file-name pattern</source>
        <translation>按文件名模式</translation>
    </message>
    <message>
        <source>Group pattern</source>
        <translation>分组模式</translation>
    </message>
    <message>
        <source>A regular expression searched in each file name; its first group in parentheses names the group, e.g. ^(slide\d+)_ for slide12_cell3.png</source>
        <translation>在每个文件名中搜索的正则表达式；其中第一个括号内的组即为分组名，例如对 slide12_cell3.png 使用 ^(slide\d+)_</translation>
    </message>
    <message>
        <source>e.g. ^(slide\d+)_</source>
        <translation>例如 ^(slide\d+)_</translation>
    </message>
    <message>
        <source>Keep images of the same slide, animal or plate together:</source>
        <translation>将同一张切片、同一只动物或同一块培养板的图像放在一起：</translation>
    </message>
    <message>
        <source>Choose a training folder to see the groups this rule finds.</source>
        <translation>选择训练文件夹，即可查看此规则找到的分组。</translation>
    </message>
    <message>
        <source>Looking for groups…</source>
        <translation>正在查找分组…</translation>
    </message>
</context>
<context>
    <name>LabelWindow</name>
    <message>
        <source>Label images</source>
        <translation>标注图像</translation>
    </message>
    <message>
        <source>Unlabelled folder</source>
        <translation>未标注文件夹</translation>
    </message>
    <message>
        <source>Dataset folder</source>
        <translation>数据集文件夹</translation>
    </message>
    <message>
        <source>Unlabelled images (only read):</source>
        <translation>未标注图像（只读取）：</translation>
    </message>
    <message>
        <source>Dataset (one folder per class):</source>
        <translation>数据集（每个类别一个文件夹）：</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>Uncertain and diverse (default)</source>
        <translation>不确定且多样（默认）</translation>
    </message>
    <message>
        <source>Most uncertain</source>
        <translation>最不确定</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Start labelling</source>
        <translation>开始标注</translation>
    </message>
    <message>
        <source>Add class…</source>
        <translation>添加类别…</translation>
    </message>
    <message>
        <source>Add a class</source>
        <translation>添加一个类别</translation>
    </message>
    <message>
        <source>Strategy:</source>
        <translation>策略：</translation>
    </message>
    <message>
        <source>Class keys</source>
        <translation>类别按键</translation>
    </message>
    <message>
        <source>Choose the folders, then Start.</source>
        <translation>先选择文件夹，然后点击“开始”。</translation>
    </message>
    <message>
        <source>Labelling progress</source>
        <translation>标注进度</translation>
    </message>
    <message>
        <source>The selected image, large</source>
        <translation>选中图像的大图</translation>
    </message>
    <message>
        <source>Learning curve and forecast</source>
        <translation>学习曲线与预估</translation>
    </message>
    <message>
        <source>Forecast</source>
        <translation>预估</translation>
    </message>
    <message>
        <source>Target accuracy</source>
        <translation>目标准确率</translation>
    </message>
    <message>
        <source>Forecast for:</source>
        <translation>预估目标：</translation>
    </message>
    <message>
        <source>Accept above</source>
        <translation>接受阈值</translation>
    </message>
    <message>
        <source>Accept all suggestions above</source>
        <translation>接受高于此值的所有建议</translation>
    </message>
    <message>
        <source>Accept all suggestions above the threshold</source>
        <translation>接受高于阈值的所有建议</translation>
    </message>
    <message>
        <source>Keys: 1-9 label the selected image with that class · 0 or Space skip · Z undo · arrows move. Labelling copies the image; the unlabelled folder is never changed.</source>
        <translation>按键：1-9 将选中的图像标注为对应类别 · 0 或空格键跳过 · Z 撤销 · 方向键移动。标注会复制图像；未标注文件夹永远不会被更改。</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>选择文件夹</translation>
    </message>
    <message>
        <source>Choose the folders</source>
        <translation>请选择文件夹</translation>
    </message>
    <message>
        <source>Choose the unlabelled folder and the dataset folder first.</source>
        <translation>请先选择未标注文件夹和数据集文件夹。</translation>
    </message>
    <message>
        <source>labelled images per class</source>
        <translation>每个类别的已标注图像数</translation>
    </message>
    <message>
        <source>accuracy (%)</source>
        <translation>准确率（%）</translation>
    </message>
    <message>
        <source>target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Computing the embeddings and ranking the images…</source>
        <translation>正在计算嵌入特征并为图像排序…</translation>
    </message>
    <message>
        <source>{keys}   ({n} more classes have no key)</source>
        <translation>{keys}   （另有 {n} 个类别没有按键）</translation>
    </message>
    <message>
        <source>{n} labelled ({low}-{high} per class)</source>
        <translation>已标注 {n} 张（每个类别 {low}-{high} 张）</translation>
    </message>
    <message>
        <source>{progress} · estimated accuracy {a} % ({low}-{high} %)</source>
        <translation>{progress} · 估计准确率 {a}%（{low}-{high}%）</translation>
    </message>
    <message>
        <source>No forecast yet: every class needs 2 labelled images.</source>
        <translation>暂无预估：每个类别需要 2 张已标注图像。</translation>
    </message>
    <message>
        <source>About {n} more labels per class to reach {target} % (from the learning curve so far).</source>
        <translation>每个类别大约还需标注 {n} 张才能达到 {target}%（根据目前的学习曲线）。</translation>
    </message>
    <message>
        <source>The learning curve is at about {target} % already.</source>
        <translation>学习曲线已达到约 {target}%。</translation>
    </message>
    <message>
        <source>Too little evidence to forecast {target} % yet: label a few more images per class.</source>
        <translation>证据太少，还无法预估何时达到 {target}%：请为每个类别再标注几张图像。</translation>
    </message>
    <message>
        <source>The suggestions could not be computed.</source>
        <translation>无法计算建议。</translation>
    </message>
    <message>
        <source>No classes yet: add one by name.</source>
        <translation>还没有类别：请按名称添加一个。</translation>
    </message>
    <message>
        <source>{n} labelled</source>
        <translation>已标注 {n} 张</translation>
    </message>
    <message>
        <source>Could not label the image</source>
        <translation>无法标注该图像</translation>
    </message>
    <message>
        <source>Could not undo</source>
        <translation>无法撤销</translation>
    </message>
    <message>
        <source>Add class</source>
        <translation>添加类别</translation>
    </message>
    <message>
        <source>Name of the new class:</source>
        <translation>新类别的名称：</translation>
    </message>
    <message>
        <source>Could not add the class</source>
        <translation>无法添加该类别</translation>
    </message>
    <message>
        <source>Accept suggestions</source>
        <translation>接受建议</translation>
    </message>
    <message>
        <source>No suggestion is at or above {t} %.</source>
        <translation>没有达到或高于 {t}% 的建议。</translation>
    </message>
    <message>
        <source>Copy {n} images into their suggested classes ({listing})? Z undoes them all.</source>
        <translation>将 {n} 张图像复制到各自建议的类别中（{listing}）？按 Z 可全部撤销。</translation>
    </message>
    <message>
        <source>Images to label</source>
        <translation>待标注的图像</translation>
    </message>
</context>
<context>
    <name>Labelling</name>
    <message>
        <source>&amp;Label images…</source>
        <translation>标注图像(&amp;L)…</translation>
    </message>
    <message>
        <source>Label images…</source>
        <translation>标注图像…</translation>
    </message>
    <message>
        <source>Label images</source>
        <translation>标注图像</translation>
    </message>
    <message>
        <source>Label a folder of unlabelled images with suggestions that learn as you go</source>
        <translation>标注一个未标注图像的文件夹，建议会随着你的标注不断学习</translation>
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
        <translation>候选方案</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>CV accuracy (95 % interval)</source>
        <translation>交叉验证准确率（95% 置信区间）</translation>
    </message>
    <message>
        <source>Folds</source>
        <translation>折数</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>用时</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>{seconds:.0f} s</source>
        <translation>{seconds:.0f} 秒</translation>
    </message>
</context>
<context>
    <name>LrFinderDialog</name>
    <message>
        <source>valley</source>
        <translation>谷底法</translation>
    </message>
    <message>
        <source>steepest</source>
        <translation>最陡下降法</translation>
    </message>
    <message>
        <source>Find a learning rate</source>
        <translation>查找学习率</translation>
    </message>
    <message>
        <source>Training the new head for a few hundred quick steps, each at a higher learning rate, to see where the loss falls fastest. The model you train later is not changed.</source>
        <translation>用几百个快速步骤训练新的分类头，每一步使用更高的学习率，看损失在哪里下降最快。之后训练的模型不受影响。</translation>
    </message>
    <message>
        <source>Sweep progress</source>
        <translation>扫描进度</translation>
    </message>
    <message>
        <source>Preparing the images…</source>
        <translation>正在准备图像…</translation>
    </message>
    <message>
        <source>Sweep status</source>
        <translation>扫描状态</translation>
    </message>
    <message>
        <source>Loss against learning rate</source>
        <translation>损失与学习率的关系</translation>
    </message>
    <message>
        <source>Use this rate</source>
        <translation>使用此学习率</translation>
    </message>
    <message>
        <source>Put the suggested rate into the learning-rate field</source>
        <translation>将建议的学习率填入学习率字段</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Suggested learning rate: {rate} ({method}) (stopped early: beyond it the loss exploded). Trained {trained}.</source>
        <translation>建议的学习率：{rate}（{method}）（提前停止：超过此值后损失急剧增大）。训练了{trained}。</translation>
    </message>
    <message>
        <source>Suggested learning rate: {rate} ({method}). Trained {trained}.</source>
        <translation>建议的学习率：{rate}（{method}）。训练了{trained}。</translation>
    </message>
    <message>
        <source>Use {rate}</source>
        <translation>使用 {rate}</translation>
    </message>
    <message>
        <source>loss (smoothed)</source>
        <translation>损失（平滑后）</translation>
    </message>
    <message>
        <source>suggested {rate} ({method})</source>
        <translation>建议 {rate}（{method}）</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>The sweep failed — see the message.</source>
        <translation>扫描失败——请查看消息。</translation>
    </message>
    <message>
        <source>Could not find a learning rate</source>
        <translation>无法找到学习率</translation>
    </message>
    <message>
        <source>No training folder</source>
        <translation>没有训练文件夹</translation>
    </message>
    <message>
        <source>Choose a training folder first: the sweep trains on its images.</source>
        <translation>请先选择训练文件夹：扫描会用其中的图像进行训练。</translation>
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
        <source>Training method</source>
        <translation>训练方法</translation>
    </message>
    <message>
        <source>Fine-tuning adapts the network; embeddings fit a classic classifier on its features (better for small datasets, much faster)</source>
        <translation>微调会调整网络；嵌入特征方法在网络的特征上拟合一个经典分类器（更适合小数据集，速度快得多）</translation>
    </message>
    <message>
        <source>Auto budget</source>
        <translation>自动搜索预算</translation>
    </message>
    <message>
        <source>How long Auto may search, the final training included (minutes); Stop keeps the best recipe found so far</source>
        <translation>自动搜索可用的时长（分钟，含最终训练）；“停止”会保留目前找到的最佳方案</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Budget</source>
        <translation>时间预算</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Compare methods</source>
        <translation>比较方法</translation>
    </message>
    <message>
        <source>Train all three methods, fine-tuning, embeddings + SVM and embeddings + logistic regression, on the same split and show their validation accuracy side by side</source>
        <translation>在同一划分上训练全部三种方法（微调、嵌入特征 + 支持向量机 (SVM)、嵌入特征 + 逻辑回归），并排显示它们的验证准确率</translation>
    </message>
    <message>
        <source>Use embeddings + SVM</source>
        <translation>使用嵌入特征 + 支持向量机</translation>
    </message>
    <message>
        <source>Use embeddings</source>
        <translation>使用嵌入特征</translation>
    </message>
    <message>
        <source>Switch to the method suggested for small datasets</source>
        <translation>切换到为小数据集建议的方法</translation>
    </message>
    <message>
        <source>Method comparison</source>
        <translation>方法比较</translation>
    </message>
    <message>
        <source>Validation accuracy and training time of each method on the same split; double-click a row to keep that model</source>
        <translation>各方法在同一划分上的验证准确率和训练时间；双击某一行即可保留该模型</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Validation accuracy</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Auto tries embeddings and fine-tuning recipes by cross-validation on the training images only, within the budget, then trains the best. The fields it chooses (backbone among those on this computer, freeze point, learning rate, epochs, augmentation) are filled in when it ends; see the Auto leaderboard tab.</source>
        <translation>自动搜索在预算内只用训练图像，通过交叉验证尝试嵌入特征和微调方案，然后训练最佳方案。它所选择的字段（本机已有的骨干网络、冻结点、学习率、轮数、数据增强）会在结束时填入；详见“自动搜索排行榜”标签页。</translation>
    </message>
    <message>
        <source>Only {n} images: fine-tuning may overfit. Embeddings + a classic classifier usually does as well or better here, in seconds.</source>
        <translation>只有 {n} 张图像：微调可能过拟合。嵌入特征 + 经典分类器在这里通常效果相当或更好，而且只需几秒。</translation>
    </message>
    <message>
        <source>Trains in seconds: no epochs, the network stays frozen. The freeze point chooses the feature layer (the default uses the network&apos;s final features).</source>
        <translation>几秒即可训练完成：不分轮次，网络保持冻结。冻结点决定特征层（默认使用网络的最终特征）。</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>{minutes} min {seconds} s</source>
        <translation>{minutes} 分 {seconds} 秒</translation>
    </message>
</context>
<context>
    <name>ModelExport</name>
    <message>
        <source>&amp;Export model…</source>
        <translation>导出模型(&amp;E)…</translation>
    </message>
    <message>
        <source>Write the model as TFLite, ONNX or SavedModel, checked against the app</source>
        <translation>将模型写为 TFLite、ONNX 或 SavedModel，并与本应用对照检查</translation>
    </message>
    <message>
        <source>Export model</source>
        <translation>导出模型</translation>
    </message>
    <message>
        <source>This model could not be kept on disk when training ended; save it first with File › Save model…, then export it.</source>
        <translation>训练结束时未能将此模型保留在磁盘上；请先用“文件 › 保存模型…”保存，然后再导出。</translation>
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
        <source>Unlike any training image — this prediction may be meaningless.</source>
        <translation>与任何训练图像都不相似——此预测可能没有意义。</translation>
    </message>
    <message>
        <source>The model places this image far from every class it was trained on (distance {distance}, while training images lie within {limit}). It still has to pick one of its classes, so the bars below say little about this image.</source>
        <translation>模型认为这张图像离它训练过的每个类别都很远（距离 {distance}，而训练图像都在 {limit} 以内）。它仍必须从自己的类别中选一个，因此下面的条形对这张图像说明不了什么。</translation>
    </message>
    <message>
        <source>{first} or {second}</source>
        <translation>{first} 或 {second}</translation>
    </message>
    <message>
        <source>Undecided: {classes}</source>
        <translation>未定：{classes}</translation>
    </message>
    <message>
        <source>The model cannot decide between these classes. On its validation images, such sets held the true class 9 times in 10.</source>
        <translation>模型无法在这些类别之间做出判断。在它的验证图像上，这样的预测集合 10 次中有 9 次包含真实类别。</translation>
    </message>
    <message>
        <source>Could not read this image: {error}.</source>
        <translation>无法读取此图像：{error}。</translation>
    </message>
    <message>
        <source>{name}: {top} ({warning}) ({classes})</source>
        <translation>{name}：{top}（{warning}）（{classes}）</translation>
    </message>
    <message>
        <source>{name}: {top} ({warning})</source>
        <translation>{name}：{top}（{warning}）</translation>
    </message>
    <message>
        <source>{name}: {top} ({classes})</source>
        <translation>{name}：{top}（{classes}）</translation>
    </message>
    <message>
        <source>{name}: {top}</source>
        <translation>{name}：{top}</translation>
    </message>
</context>
<context>
    <name>PredictionList</name>
    <message>
        <source>Predictions</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Each image with its most likely classes</source>
        <translation>每张图像及其最可能的类别</translation>
    </message>
    <message>
        <source>Each image appears here with its five most likely classes, best first.</source>
        <translation>每张图像会显示在这里，并列出最可能的五个类别，可能性最高的在前。</translation>
    </message>
</context>
<context>
    <name>PredictionPanel</name>
    <message>
        <source>{folder}/ (no images inside)</source>
        <translation>{folder}/（其中没有图像）</translation>
    </message>
    <message>
        <source>Try it</source>
        <translation>试一试</translation>
    </message>
    <message>
        <source>Prediction source</source>
        <translation>预测来源</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Clear predictions</source>
        <translation>清除预测</translation>
    </message>
    <message>
        <source>Prediction message</source>
        <translation>预测消息</translation>
    </message>
    <message>
        <source>The model in use changed, so the earlier predictions were cleared: drop the images again to see what this model says.</source>
        <translation>正在使用的模型已更换，因此之前的预测已清除：请重新拖入图像，查看此模型的结果。</translation>
    </message>
    <message>
        <source>Predictions from {model}.</source>
        <translation>预测来自：{model}。</translation>
    </message>
    <message>
        <source>Predictions from the {backbone} ImageNet classifier (1000 everyday classes) until you train or open a model.</source>
        <translation>在你训练或打开模型之前，预测来自 {backbone} 的 ImageNet 分类器（1000 个日常类别）。</translation>
    </message>
    <message>
        <source>Choose a backbone or open a model.</source>
        <translation>请选择骨干网络或打开模型。</translation>
    </message>
    <message>
        <source>Open images</source>
        <translation>打开图像</translation>
    </message>
    <message>
        <source>Images ({patterns});;All files (*)</source>
        <translation>图像 ({patterns});;所有文件 (*)</translation>
    </message>
    <message>
        <source>Classify every image in a folder</source>
        <translation>对文件夹中的每张图像分类</translation>
    </message>
    <message>
        <source>the {backbone} ImageNet classifier</source>
        <translation>{backbone} 的 ImageNet 分类器</translation>
    </message>
    <message>
        <source>Choose a backbone or open a model first.</source>
        <translation>请先选择骨干网络或打开模型。</translation>
    </message>
    <message>
        <source>“{name}” is not an image, so it was skipped. Drop JPEG, PNG, BMP, GIF, WebP or TIFF files.</source>
        <translation>“{name}”不是图像，已跳过。请拖入 JPEG、PNG、BMP、GIF、WebP 或 TIFF 文件。</translation>
    </message>
    <message>
        <source>{n} files are not images and were skipped ({names}).</source>
        <translation>{n} 个文件不是图像，已跳过（{names}）。</translation>
    </message>
    <message>
        <source>Loading the {backbone} ImageNet classifier and classifying {n} image(s)…</source>
        <translation>正在加载 {backbone} 的 ImageNet 分类器并对 {n} 张图像分类…</translation>
    </message>
    <message>
        <source>Classifying {n} image(s)…</source>
        <translation>正在对 {n} 张图像分类…</translation>
    </message>
    <message>
        <source>Could not classify the images — see the message.</source>
        <translation>无法对图像分类——请查看消息。</translation>
    </message>
    <message>
        <source>Prediction failed</source>
        <translation>预测失败</translation>
    </message>
</context>
<context>
    <name>ReportExport</name>
    <message>
        <source>Export &amp;report…</source>
        <translation>导出报告(&amp;R)…</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>导出报告</translation>
    </message>
    <message>
        <source>HTML report (*.html)</source>
        <translation>HTML 报告 (*.html)</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>正在写入报告…</translation>
    </message>
    <message>
        <source>Report written to {path}</source>
        <translation>报告已写入 {path}</translation>
    </message>
    <message>
        <source>The report could not be written.</source>
        <translation>无法写入报告。</translation>
    </message>
    <message>
        <source>Could not write the report</source>
        <translation>无法写入报告</translation>
    </message>
</context>
<context>
    <name>ResultsPanel</name>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Train a model or evaluate one to see how it does on each class of the validation images.</source>
        <translation>训练或评估一个模型，查看它在验证图像各类别上的表现。</translation>
    </message>
    <message>
        <source>Per-class metrics</source>
        <translation>各类别指标</translation>
    </message>
    <message>
        <source>Precision: of the images called this class, how many were. Recall: of the images of this class, how many were found. F1: their balance.</source>
        <translation>精确率：被判为该类别的图像中，有多少确实属于该类别。召回率：该类别的图像中，有多少被找出。F1：两者的平衡。</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精确率</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像数</translation>
    </message>
    <message>
        <source>Per-class metrics columns: class, precision, recall, F1, images</source>
        <translation>各类别指标的列：类别、精确率、召回率、F1、图像数</translation>
    </message>
    <message>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <source>Rows: true class; columns: predicted class. Click a cell to see its images.</source>
        <translation>行：真实类别；列：预测类别。点击单元格查看其中的图像。</translation>
    </message>
    <message>
        <source>Most confused pairs</source>
        <translation>最易混淆的类别对</translation>
    </message>
    <message>
        <source>The pairs of classes the model mixes up most; double-click to see the images</source>
        <translation>模型最常混淆的类别对；双击查看图像</translation>
    </message>
    <message>
        <source>Show hardest examples</source>
        <translation>显示最难的样本</translation>
    </message>
    <message>
        <source>Hardest examples</source>
        <translation>最难的样本</translation>
    </message>
    <message>
        <source>The images with the highest loss: confident mistakes first — often mislabelled files</source>
        <translation>损失最高的图像：置信度高的错误排在最前——常常是标注错误的文件</translation>
    </message>
    <message>
        <source>No evaluation in these results (trained before evaluation was recorded).</source>
        <translation>这些结果中没有评估（训练时尚未记录评估）。</translation>
    </message>
    <message>
        <source>Train a model or evaluate one to see its results.</source>
        <translation>训练或评估一个模型以查看其结果。</translation>
    </message>
    <message>
        <source>No images were evaluated.</source>
        <translation>没有评估任何图像。</translation>
    </message>
    <message>
        <source>Fine-tuned: accuracy {accuracy} (95 % interval) · top-{k} {top} · mean loss {loss}</source>
        <translation>微调：准确率 {accuracy}（95% 置信区间）· top-{k} {top} · 平均损失 {loss}</translation>
    </message>
    <message>
        <source>{method}: accuracy {accuracy} (95 % interval) · top-{k} {top} · mean loss {loss}</source>
        <translation>{method}：准确率 {accuracy}（95% 置信区间）· top-{k} {top} · 平均损失 {loss}</translation>
    </message>
    <message>
        <source>accuracy {accuracy} (95 % interval) · top-{k} {top} · mean loss {loss}</source>
        <translation>准确率 {accuracy}（95% 置信区间）· top-{k} {top} · 平均损失 {loss}</translation>
    </message>
    <message>
        <source>Rough number: {note}</source>
        <translation>粗略数字：{note}</translation>
    </message>
    <message>
        <source>{count} × {true} → predicted {predicted} ({share} of {true})</source>
        <translation>{count} × {true} → 预测为 {predicted}（占 {true} 的 {share}）</translation>
    </message>
    <message>
        <source>No confusions: every image was classified correctly.</source>
        <translation>没有混淆：每张图像都分类正确。</translation>
    </message>
    <message>
        <source>Predicted class</source>
        <translation>预测类别</translation>
    </message>
    <message>
        <source>True class</source>
        <translation>真实类别</translation>
    </message>
    <message>
        <source>{true}, correctly classified</source>
        <translation>{true}，分类正确</translation>
    </message>
    <message>
        <source>{true} predicted as {predicted}</source>
        <translation>{true} 被预测为 {predicted}</translation>
    </message>
    <message>
        <source>No validation image of {true} was predicted as {predicted}.</source>
        <translation>没有 {true} 的验证图像被预测为 {predicted}。</translation>
    </message>
    <message>
        <source>Hardest examples (highest loss first)</source>
        <translation>最难的样本（损失最高的在前）</translation>
    </message>
</context>
<context>
    <name>RunsCompare</name>
    <message>
        <source>random (from scratch)</source>
        <translation>随机（从零开始）</translation>
    </message>
    <message>
        <source>file {name}</source>
        <translation>文件 {name}</translation>
    </message>
    <message>
        <source>folder {folder}</source>
        <translation>文件夹 {folder}</translation>
    </message>
    <message>
        <source>{percent} % held out</source>
        <translation>留出 {percent}%</translation>
    </message>
    <message>
        <source>off (images split one by one)</source>
        <translation>关闭（图像逐张划分）</translation>
    </message>
    <message>
        <source>by subfolder</source>
        <translation>按子文件夹</translation>
    </message>
    <message>
        <source>by file-name pattern {rule}</source>
        <translation>按文件名模式 {rule}</translation>
    </message>
    <message>
        <source>by subfolder ({train} groups training, {val} validation)</source>
        <translation>按子文件夹（{train} 个分组用于训练，{val} 个用于验证）</translation>
    </message>
    <message>
        <source>by file-name pattern {rule} ({train} groups training, {val} validation)</source>
        <translation>按文件名模式 {rule}（{train} 个分组用于训练，{val} 个用于验证）</translation>
    </message>
    <message>
        <source>{accuracy} (rough: few images per class)</source>
        <translation>{accuracy}（粗略：每个类别的图像较少）</translation>
    </message>
    <message>
        <source>flip</source>
        <translation>翻转</translation>
    </message>
    <message>
        <source>rotation</source>
        <translation>旋转</translation>
    </message>
    <message>
        <source>zoom</source>
        <translation>缩放</translation>
    </message>
    <message>
        <source>contrast</source>
        <translation>对比度</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} 分钟</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>after {n} epochs</source>
        <translation>{n} 轮后</translation>
    </message>
    <message>
        <source>backbone default</source>
        <translation>骨干网络默认值</translation>
    </message>
    <message>
        <source>{size} px</source>
        <translation>{size} 像素</translation>
    </message>
    <message>
        <source>recommended</source>
        <translation>推荐</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done}/{total}</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>Validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Backbone</source>
        <translation>骨干网络</translation>
    </message>
    <message>
        <source>Start from</source>
        <translation>起始权重</translation>
    </message>
    <message>
        <source>Freeze point</source>
        <translation>冻结点</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>Warm-up epochs</source>
        <translation>预热轮数</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <source>Early stopping</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <source>Image size</source>
        <translation>图像尺寸</translation>
    </message>
    <message>
        <source>Random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Caches</source>
        <translation>缓存</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Epochs done</source>
        <translation>已完成轮数</translation>
    </message>
    <message>
        <source>Validation accuracy</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <source>Validation loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>用时</translation>
    </message>
    <message>
        <source>Images (fingerprint)</source>
        <translation>图像（指纹）</translation>
    </message>
    <message>
        <source>Compared runs&apos; curves</source>
        <translation>所比较训练运行的曲线</translation>
    </message>
    <message>
        <source>Validation accuracy and loss per epoch of the selected runs, one colour and marker per run</source>
        <translation>所选训练运行每轮的验证准确率和损失，每个训练运行一种颜色和标记</translation>
    </message>
    <message>
        <source>Compared settings and metrics</source>
        <translation>比较的设置和指标</translation>
    </message>
    <message>
        <source>The selected runs side by side; rows whose values differ are bold, shaded and marked “differs”</source>
        <translation>并列显示所选的训练运行；取值不同的行以粗体、底色显示并标记为“不同”</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮</translation>
    </message>
    <message>
        <source>Select runs above (Ctrl or Shift for several) to compare them</source>
        <translation>在上方选择训练运行进行比较（按住 Ctrl 或 Shift 可多选）</translation>
    </message>
    <message>
        <source>differs</source>
        <translation>不同</translation>
    </message>
    <message>
        <source>Kept together</source>
        <translation>保持在一起</translation>
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
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Backbone</source>
        <translation>骨干网络</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>Val. accuracy</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>Bundle</source>
        <translation>模型包</translation>
    </message>
    <message>
        <source>Recorded runs</source>
        <translation>已记录的训练运行</translation>
    </message>
    <message>
        <source>Every training run, newest first; click a column to sort, Ctrl or Shift to select several and compare them below</source>
        <translation>所有训练运行，最新的在前；点击列标题排序，按住 Ctrl 或 Shift 选择多个并在下方比较</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Read the list of runs again</source>
        <translation>重新读取训练运行列表</translation>
    </message>
    <message>
        <source>Use this model</source>
        <translation>使用此模型</translation>
    </message>
    <message>
        <source>Open the run&apos;s model: Try it, Results and Save then use it</source>
        <translation>打开该训练运行的模型：“试一试”、“结果”和“保存”将使用它</translation>
    </message>
    <message>
        <source>Train again with these settings</source>
        <translation>用这些设置重新训练</translation>
    </message>
    <message>
        <source>Put the run&apos;s data folder, backbone, freeze point and training settings into the fields above; press Train to start</source>
        <translation>将该训练运行的数据文件夹、骨干网络、冻结点和训练设置填入上方字段；按“训练”开始</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Train a stopped or interrupted run on from its last finished epoch</source>
        <translation>从最后完成的一轮起继续训练已停止或已中断的训练运行</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Forget the selected runs and delete their checkpoints (a model you saved elsewhere is kept)</source>
        <translation>移除所选训练运行的记录并删除其检查点（你保存在别处的模型会保留）</translation>
    </message>
    <message>
        <source>The run store was damaged: it was kept as {damaged} and a fresh store was started at {path}, so earlier runs are not listed.</source>
        <translation>训练运行记录库已损坏：已将其保留为 {damaged}，并在 {path} 新建了记录库，因此不会列出之前的训练运行。</translation>
    </message>
    <message>
        <source>Could not read the runs: {message}</source>
        <translation>无法读取训练运行：{message}</translation>
    </message>
    <message>
        <source>1 run recorded.</source>
        <translation>已记录 1 次训练运行。</translation>
    </message>
    <message>
        <source>{count} runs recorded.</source>
        <translation>已记录 {count} 次训练运行。</translation>
    </message>
    <message>
        <source>{notice} {count}</source>
        <translation>{notice}{count}</translation>
    </message>
    <message>
        <source>Run {id}</source>
        <translation>训练运行 {id}</translation>
    </message>
    <message>
        <source>{accuracy} (rough)</source>
        <translation>{accuracy}（粗略）</translation>
    </message>
    <message>
        <source>No runs recorded yet: every training run appears here.</source>
        <translation>尚无训练运行记录：每次训练运行都会显示在这里。</translation>
    </message>
</context>
<context>
    <name>RuntimeSetting</name>
    <message>
        <source>Fast runtime (verified)</source>
        <translation>快速运行时（已验证）</translation>
    </message>
    <message>
        <source>Classify and compute features on a converted model (LiteRT or ONNX) that was checked against Keras before its first use.</source>
        <translation>在转换后的模型（LiteRT 或 ONNX）上分类和计算特征；该模型在首次使用前已与 Keras 核对。</translation>
    </message>
    <message>
        <source>Keras only</source>
        <translation>仅用 Keras</translation>
    </message>
    <message>
        <source>Run every model in Keras (TensorFlow): slower, for comparison or if a converted model seems wrong.</source>
        <translation>所有模型都在 Keras（TensorFlow）中运行：较慢，用于比较，或在转换后的模型看起来有误时使用。</translation>
    </message>
    <message>
        <source>Runtime</source>
        <translation>运行时</translation>
    </message>
    <message>
        <source>Models now run in Keras only.</source>
        <translation>模型现在仅在 Keras 中运行。</translation>
    </message>
    <message>
        <source>Models now run on the fast runtime, checked against Keras first.</source>
        <translation>模型现在在快速运行时上运行，并先与 Keras 核对。</translation>
    </message>
</context>
<context>
    <name>ScanResult</name>
    <message>
        <source>A classifier needs at least two classes (one subfolder each): found none.</source>
        <translation>分类器至少需要两个类别（每个类别一个子文件夹）：一个也没有找到。</translation>
    </message>
    <message>
        <source>A classifier needs at least two classes (one subfolder each): found {count}.</source>
        <translation>分类器至少需要两个类别（每个类别一个子文件夹）：只找到 {count} 个。</translation>
    </message>
    <message>
        <source>Class &apos;{name}&apos; has only {count} image: each class needs at least {minimum}. Add images or remove the folder.</source>
        <translation>类别“{name}”只有 {count} 张图像：每个类别至少需要 {minimum} 张。请添加图像或删除该文件夹。</translation>
    </message>
    <message>
        <source>Class &apos;{name}&apos; has only {count} images: each class needs at least {minimum}. Add images or remove the folder.</source>
        <translation>类别“{name}”只有 {count} 张图像：每个类别至少需要 {minimum} 张。请添加图像或删除该文件夹。</translation>
    </message>
    <message>
        <source>&apos;{name}&apos;</source>
        <translation>“{name}”</translation>
    </message>
    <message>
        <source>Classes {names} have fewer than {minimum} images each: each class needs at least {minimum}.</source>
        <translation>类别 {names} 的图像都少于 {minimum} 张：每个类别至少需要 {minimum} 张。</translation>
    </message>
</context>
<context>
    <name>SummaryCsvSaver</name>
    <message>
        <source>Save the summary as CSV</source>
        <translation>将汇总保存为 CSV</translation>
    </message>
    <message>
        <source>CSV file (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Saving {path}…</source>
        <translation>正在保存 {path}…</translation>
    </message>
    <message>
        <source>Saved the summary (1 row) to {path}.</source>
        <translation>已将汇总（1 行）保存到 {path}。</translation>
    </message>
    <message>
        <source>Saved the summary ({rows} rows) to {path}.</source>
        <translation>已将汇总（{rows} 行）保存到 {path}。</translation>
    </message>
    <message>
        <source>Could not save the summary</source>
        <translation>无法保存汇总</translation>
    </message>
    <message>
        <source>Could not save the summary.</source>
        <translation>无法保存汇总。</translation>
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
    <name>TrainingSettings</name>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>How many times training goes through all images (warm-up included)</source>
        <translation>训练遍历全部图像的次数（含预热）</translation>
    </message>
    <message>
        <source>Warm-up epochs</source>
        <translation>预热轮数</translation>
    </message>
    <message>
        <source>Epochs that train only the new classifier head before the unfrozen layers start to adapt</source>
        <translation>在解冻层开始调整之前只训练新分类头的轮数</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Images per training step; lower it if the computer runs out of memory</source>
        <translation>每个训练步骤的图像数；如果计算机内存不足，请调低</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Step size of the new head; fine-tuning uses a tenth of it</source>
        <translation>新分类头的步长；微调使用其十分之一</translation>
    </message>
    <message>
        <source>Flip</source>
        <translation>翻转</translation>
    </message>
    <message>
        <source>Random horizontal flips</source>
        <translation>随机水平翻转</translation>
    </message>
    <message>
        <source>Rotate</source>
        <translation>旋转</translation>
    </message>
    <message>
        <source>Random small rotations</source>
        <translation>随机小角度旋转</translation>
    </message>
    <message>
        <source>Zoom</source>
        <translation>缩放</translation>
    </message>
    <message>
        <source>Random zoom</source>
        <translation>随机缩放</translation>
    </message>
    <message>
        <source>Contrast</source>
        <translation>对比度</translation>
    </message>
    <message>
        <source>Random contrast changes</source>
        <translation>随机改变对比度</translation>
    </message>
    <message>
        <source>Stop early if validation loss stalls for</source>
        <translation>提前停止：验证损失停滞达</translation>
    </message>
    <message>
        <source>Early stopping</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <source>Early stopping patience</source>
        <translation>提前停止的耐心轮数</translation>
    </message>
    <message>
        <source>Epochs without improvement before training stops</source>
        <translation>训练停止前允许没有改进的轮数</translation>
    </message>
    <message>
        <source> epochs</source>
        <translation> 轮</translation>
    </message>
    <message>
        <source>of which warm-up</source>
        <translation>其中预热</translation>
    </message>
    <message>
        <source>Find…</source>
        <translation>查找…</translation>
    </message>
    <message>
        <source>Find a learning rate</source>
        <translation>查找学习率</translation>
    </message>
    <message>
        <source>Try rates over a short sweep and suggest one (gui/operations/lr_find.py)</source>
        <translation>在一次短扫描中尝试多个学习率并给出建议 (gui/operations/lr_find.py)</translation>
    </message>
    <message>
        <source>Augment</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <source>Image size</source>
        <translation>图像尺寸</translation>
    </message>
    <message>
        <source>Images are resized to this many pixels per side; smaller is faster, larger sees more detail</source>
        <translation>图像每边缩放到的像素数；越小越快，越大看到的细节越多</translation>
    </message>
    <message>
        <source>Backbone default</source>
        <translation>骨干网络默认值</translation>
    </message>
    <message>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <source>Random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Same seed, same split and same result</source>
        <translation>相同的种子，相同的划分和相同的结果</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>高级</translation>
    </message>
    <message>
        <source>Start fine-tuning with these settings</source>
        <translation>使用这些设置开始微调</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop after the current batch and keep the best epoch so far</source>
        <translation>在当前批次后停止，并保留目前最佳的一轮</translation>
    </message>
    <message>
        <source>Training progress</source>
        <translation>训练进度</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Choose a folder, then press Train.</source>
        <translation>选择一个文件夹，然后按“训练”。</translation>
    </message>
    <message>
        <source>Training status</source>
        <translation>训练状态</translation>
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
<context>
    <name>_Explainer</name>
    <message>
        <source>Could not explain the predictions</source>
        <translation>无法解释这些预测</translation>
    </message>
    <message>
        <source>Could not explain that class</source>
        <translation>无法解释该类别</translation>
    </message>
</context>
<context>
    <name>_TrainButton</name>
    <message>
        <source>Cannot train: {reason}</source>
        <translation>无法训练：{reason}</translation>
    </message>
</context>
</TS>
