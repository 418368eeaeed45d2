<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AttentionChangeView</name>
    <message>
        <source>Compare on the current sentence</source>
        <translation>在当前句子上比较</translation>
    </message>
    <message>
        <source>Run the base and the fine-tuned model on sentence A (and B) and measure, per head, how differently they attend</source>
        <translation>在句子 A（和 B）上运行基础模型和微调后的模型，逐个注意力头测量它们的关注方式有多不同</translation>
    </message>
    <message>
        <source>Rows: layers, columns: heads. Brighter = the fine-tuned head attends more differently from the base model&apos;s (Jensen-Shannon divergence, 0 to ln 2)</source>
        <translation>行：层，列：注意力头。越亮 = 微调后的注意力头与基础模型的关注方式差别越大（Jensen-Shannon 散度，0 到 ln 2）</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>head</source>
        <translation>注意力头</translation>
    </message>
    <message>
        <source>JS divergence</source>
        <translation>JS 散度</translation>
    </message>
    <message>
        <source>layer {0} head {1} ({2:.3f})</source>
        <translation>第 {0} 层 注意力头 {1}（{2:.3f}）</translation>
    </message>
    <message>
        <source>On “{0}”: mean divergence {1:.3f}; most changed: {2}</source>
        <translation>在“{0}”上：平均散度 {1:.3f}；变化最大：{2}</translation>
    </message>
    <message>
        <source>blank in the map</source>
        <translation>在图中留空</translation>
    </message>
    <message>
        <source>layer {0}, head {1}: {2:.3f}</source>
        <translation>第 {0} 层，注意力头 {1}：{2:.3f}</translation>
    </message>
</context>
<context>
    <name>AttentionView</name>
    <message>
        <source>Layer to show large (0 = the first layer)</source>
        <translation>要放大显示的层（0 = 第一层）</translation>
    </message>
    <message>
        <source>Head to show large, or the mean or the max over all heads of the layer</source>
        <translation>要放大显示的注意力头，或该层所有注意力头的平均值或最大值</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>Attention rollout</source>
        <translation>注意力 rollout</translation>
    </message>
    <message>
        <source>Rollout (Abnar &amp; Zuidema, 2020): attention followed through all layers up to this one, residual connections included</source>
        <translation>Rollout（Abnar 与 Zuidema，2020）：沿所有层直到本层追踪注意力，包括残差连接</translation>
    </message>
    <message>
        <source>Hide [CLS]/[SEP]</source>
        <translation>隐藏 [CLS]/[SEP]</translation>
    </message>
    <message>
        <source>Drop the special tokens and renormalise each row to sum to 1</source>
        <translation>去掉特殊词元，并把每行重新归一化为和为 1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Tint the frame of each thumbnail by a statistic of its head (darker = higher), so that heads that look at the previous or next token, or at [CLS]/[SEP], stand out</source>
        <translation>按其注意力头的某个统计量给每张缩略图的边框着色（越深 = 越高），使关注前一个或后一个词元、或关注 [CLS]/[SEP] 的注意力头突显出来</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>注意力头</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Colour heads by</source>
        <translation>按此为注意力头着色</translation>
    </message>
    <message>
        <source>Every head of every layer (rows: layers, columns: heads); click one to show it large</source>
        <translation>每一层的每个注意力头（行：层，列：注意力头）；点击其中一个可放大显示</translation>
    </message>
    <message>
        <source>weight (all heads)</source>
        <translation>权重（所有注意力头）</translation>
    </message>
    <message>
        <source>query token (attends from)</source>
        <translation>查询词元（发出关注）</translation>
    </message>
    <message>
        <source>key token (attends to)</source>
        <translation>键词元（被关注）</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Head {0}</source>
        <translation>注意力头 {0}</translation>
    </message>
    <message>
        <source>word</source>
        <translation>词</translation>
    </message>
    <message>
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>query {0} (attends from)</source>
        <translation>查询 {0}（发出关注）</translation>
    </message>
    <message>
        <source>key {0} (attends to)</source>
        <translation>键 {0}（被关注）</translation>
    </message>
    <message>
        <source>NaN blank, Inf at the top of the scale</source>
        <translation>NaN 留空，Inf 位于刻度顶端</translation>
    </message>
    <message>
        <source>rollout to layer {0}</source>
        <translation>到第 {0} 层的 rollout</translation>
    </message>
    <message>
        <source> ({0} heads switched off)</source>
        <translation>（{0} 个注意力头已关闭）</translation>
    </message>
    <message>
        <source>layer {0}, {1}</source>
        <translation>第 {0} 层，{1}</translation>
    </message>
    <message>
        <source> ({0} switched off)</source>
        <translation>（{0} 个已关闭）</translation>
    </message>
    <message>
        <source>layer {0}, head {1}</source>
        <translation>第 {0} 层，注意力头 {1}</translation>
    </message>
    <message>
        <source> (switched off: no attention)</source>
        <translation>（已关闭：没有注意力）</translation>
    </message>
    <message>
        <source>draws on</source>
        <translation>取自</translation>
    </message>
    <message>
        <source>attends to</source>
        <translation>关注</translation>
    </message>
    <message>
        <source>Show how this weight is computed: choose one head first (not an average)</source>
        <translation>显示这个权重如何计算：请先选择一个注意力头（而不是平均值）</translation>
    </message>
    <message>
        <source>Show how this weight is computed: untick Words first (a word mixes its pieces)</source>
        <translation>显示这个权重如何计算：请先取消勾选“词”（一个词混合了它的各个片段）</translation>
    </message>
    <message>
        <source>Show how this weight is computed ({0} attends to {1}, layer {2}, head {3})</source>
        <translation>显示这个权重如何计算（{0} 关注 {1}，第 {2} 层，注意力头 {3}）</translation>
    </message>
</context>
<context>
    <name>AttributionPanel</name>
    <message>
        <source>Integrated gradients</source>
        <translation>积分梯度</translation>
    </message>
    <message>
        <source>Gradient x input</source>
        <translation>梯度 × 输入</translation>
    </message>
    <message>
        <source>Gradient x input: one gradient, at the input itself; quick but only local</source>
        <translation>梯度 × 输入：只在输入本身处求一次梯度；快，但只反映局部</translation>
    </message>
    <message>
        <source>Integration steps: more steps, a smaller completeness gap, a longer wait</source>
        <translation>积分步数：步数越多，完整性差距越小，等待越久</translation>
    </message>
    <message>
        <source>[PAD] vectors</source>
        <translation>[PAD] 向量</translation>
    </message>
    <message>
        <source>zero vectors</source>
        <translation>零向量</translation>
    </message>
    <message>
        <source>The neutral input the path starts from</source>
        <translation>路径起点的中性输入</translation>
    </message>
    <message>
        <source>Hide [CLS]/[SEP]</source>
        <translation>隐藏 [CLS]/[SEP]</translation>
    </message>
    <message>
        <source>Leave the special tokens out and rescale the others (both charts)</source>
        <translation>去掉特殊词元，并重新缩放其余的（两张图都是）</translation>
    </message>
    <message>
        <source>Show words instead of WordPiece pieces: a word&apos;s attribution is the sum of its pieces&apos; (they add up), and so is the attention rollout to it. The same switch as the Attention, Head view and Tokens tabs.</source>
        <translation>显示词而不是 WordPiece 片段：一个词的归因是它各片段归因之和（它们可以相加），到它的注意力 rollout 也是如此。与“注意力”“注意力连线”和“词元”标签页是同一个开关。</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>基线</translation>
    </message>
    <message>
        <source>attribution (share of the total)</source>
        <translation>归因（占总量的比例）</translation>
    </message>
    <message>
        <source>attention rollout to the same position</source>
        <translation>到同一位置的注意力 rollout</translation>
    </message>
    <message>
        <source>class &apos;{0}&apos;</source>
        <translation>类别“{0}”</translation>
    </message>
    <message>
        <source>&apos;{0}&apos; at position {1}</source>
        <translation>位置 {1} 处的“{0}”</translation>
    </message>
    <message>
        <source>the top prediction</source>
        <translation>首选预测</translation>
    </message>
    <message>
        <source>Explaining {0}… (computing)</source>
        <translation>正在解释 {0}…（计算中）</translation>
    </message>
    <message>
        <source>integrated gradients</source>
        <translation>积分梯度</translation>
    </message>
    <message>
        <source>gradient x input</source>
        <translation>梯度 × 输入</translation>
    </message>
    <message>
        <source>Why &lt;b&gt;{0}&lt;/b&gt;? By {1}, {2} step(s).</source>
        <translation>为什么是 &lt;b&gt;{0}&lt;/b&gt;？方法：{1}，{2} 步。</translation>
    </message>
    <message>
        <source>[CLS] and [SEP] are hidden: the other tokens&apos; values are rescaled so their sizes add up to 1.</source>
        <translation>[CLS] 和 [SEP] 已隐藏：其余词元的值经过重新缩放，使其绝对值之和为 1。</translation>
    </message>
    <message>
        <source>Each chart&apos;s values are rescaled so their sizes add up to 1.</source>
        <translation>每张图的值都经过重新缩放，使其绝对值之和为 1。</translation>
    </message>
    <message>
        <source>The predicted word&apos;s score (logit) is {0:.3f}, and {1:.3f} at the baseline: a difference of {2:.3f}. The attributions add up to {3:.3f}</source>
        <translation>预测词的分数（logit）为 {0:.3f}，在基线处为 {1:.3f}：相差 {2:.3f}。归因之和为 {3:.3f}</translation>
    </message>
    <message>
        <source>, a gap of {0:.3f} (more steps make it smaller).</source>
        <translation>，差距为 {0:.3f}（步数越多差距越小）。</translation>
    </message>
</context>
<context>
    <name>CaptionBar</name>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Hide this explanation; the button that takes its place brings it back</source>
        <translation>隐藏这段说明；取代它的按钮可以让它重新出现</translation>
    </message>
    <message>
        <source>Show the explanation of this tab again (Help &gt; Tab guide has every tab&apos;s)</source>
        <translation>再次显示此标签页的说明（帮助 &gt; 标签页指南中有每个标签页的说明）</translation>
    </message>
</context>
<context>
    <name>ComputationView</name>
    <message>
        <source>The encoder layer the panels show</source>
        <translation>面板所显示的编码器层</translation>
    </message>
    <message>
        <source>The attention head the step-through and neuron panels show</source>
        <translation>逐步查看和神经元面板所显示的注意力头</translation>
    </message>
    <message>
        <source>The token whose computation is followed (the query token for attention)</source>
        <translation>其计算过程被跟随的词元（对注意力而言是查询词元）</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>注意力头</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Type a sentence to follow its computation.</source>
        <translation>输入一个句子，跟随它的计算过程。</translation>
    </message>
</context>
<context>
    <name>CorpusSearch</name>
    <message>
        <source>No index open.</source>
        <translation>未打开索引。</translation>
    </message>
    <message>
        <source>Open an index…</source>
        <translation>打开索引…</translation>
    </message>
    <message>
        <source>A folder made by python -m model index-corpus FILE --out FOLDER --layers ...</source>
        <translation>由 python -m model index-corpus FILE --out FOLDER --layers ... 生成的文件夹</translation>
    </message>
    <message>
        <source>Build the example index</source>
        <translation>构建示例索引</translation>
    </message>
    <message>
        <source>Index the 2,000 public-domain sentences shipped with the app for the loaded model (about a minute on a laptop CPU; kept for next time)</source>
        <translation>为已加载的模型索引随应用附带的 2,000 个公有领域句子（在笔记本电脑 CPU 上约一分钟；保存下来供下次使用）</translation>
    </message>
    <message>
        <source>The token of your sentence whose neighbours are searched</source>
        <translation>在你的句子中要搜索其近邻的词元</translation>
    </message>
    <message>
        <source>The layer whose vectors are compared (0 = the embeddings, before any layer)</source>
        <translation>要比较其向量的层（0 = 嵌入，在所有层之前）</translation>
    </message>
    <message>
        <source>How many neighbours to list</source>
        <translation>要列出多少个近邻</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Neighbours</source>
        <translation>近邻</translation>
    </message>
    <message>
        <source>Opening {0}…</source>
        <translation>正在打开 {0}…</translation>
    </message>
    <message>
        <source>Building the example index: the views keep working meanwhile.</source>
        <translation>正在构建示例索引：其间各视图照常工作。</translation>
    </message>
    <message>
        <source>Open a corpus index</source>
        <translation>打开语料索引</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt;: {1:,} sentences, {2:,} tokens, layers {3}, built with {4}</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;：{1:,} 个句子，{2:,} 个词元，层 {3}，由 {4} 构建</translation>
    </message>
    <message>
        <source>This index was not built to the end; it searches what it has.</source>
        <translation>这个索引没有构建完成；它只搜索已有的部分。</translation>
    </message>
    <message>
        <source>embeddings (0)</source>
        <translation>嵌入（0）</translation>
    </message>
    <message>
        <source>after layer {0}</source>
        <translation>第 {0} 层之后</translation>
    </message>
    <message>
        <source>{0:,} of {1:,} sentences indexed</source>
        <translation>已索引 {0:,} / {1:,} 个句子</translation>
    </message>
    <message>
        <source>the embeddings</source>
        <translation>嵌入层</translation>
    </message>
    <message>
        <source>layer {0}</source>
        <translation>第 {0} 层</translation>
    </message>
    <message>
        <source>Nearest to &lt;b&gt;{0}&lt;/b&gt; at {1}: {2}.</source>
        <translation>在{1}与 &lt;b&gt;{0}&lt;/b&gt; 最接近的：{2}。</translation>
    </message>
</context>
<context>
    <name>DatasetPanel</name>
    <message>
        <source>optional (else 10% held out)</source>
        <translation>可选（否则留出 10%）</translation>
    </message>
    <message>
        <source>&lt;p&gt;Labelled rows to measure the model on, in the same format as the training data. They are never trained on, so their accuracy says how the model does on sentences it has not seen.&lt;/p&gt;&lt;p&gt;Without a file, 10% of the training rows are held out (at least one of each label). Use about 100 rows or more: on a handful, the accuracy is mostly luck.&lt;/p&gt;</source>
        <translation>&lt;p&gt;用于衡量模型的已标注行，格式与训练数据相同。它们从不参与训练，所以它们上的准确率反映模型在没见过的句子上的表现。&lt;/p&gt;&lt;p&gt;没有此文件时，会留出 10% 的训练行（每个标签至少一行）。请使用约 100 行或更多：只有几行时，准确率大多取决于运气。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Use the sample dataset (sentiment, 240 sentences)</source>
        <translation>使用示例数据集（情感，240 个句子）</translation>
    </message>
    <message>
        <source>&lt;p&gt;Fill in the project&apos;s own sample data: {0}. Written for BERT Explorer and free to use (CC0).&lt;/p&gt;&lt;p&gt;Press Start next: a few epochs take seconds to minutes on the bundled model.&lt;/p&gt;</source>
        <translation>&lt;p&gt;填入项目自带的示例数据：{0}。为 BERT Explorer 编写，可自由使用（CC0）。&lt;/p&gt;&lt;p&gt;接着按“开始”：在内置模型上跑几个轮次只需几秒到几分钟。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>The column holding the text to classify (sentence A for pairs); detected from the header (text or text_a), or choose one</source>
        <translation>保存待分类文本的列（句对时为句子 A）；根据表头（text 或 text_a）检测，或自行选择</translation>
    </message>
    <message>
        <source>The column holding sentence B, for tasks on sentence pairs (such as: does B follow from A?); detected when the header has text_a and text_b, or choose none</source>
        <translation>保存句子 B 的列，用于句对任务（例如：B 能否从 A 推出？）；表头有 text_a 和 text_b 时自动检测，或选择“无”</translation>
    </message>
    <message>
        <source>The column holding each row&apos;s class (for example positive or negative); detected from the header (label), or choose one</source>
        <translation>保存每行类别的列（例如 positive 或 negative）；根据表头（label）检测，或自行选择</translation>
    </message>
    <message>
        <source>The first rows of the training file; the header says which column is used for what</source>
        <translation>训练文件的前几行；表头说明每一列的用途</translation>
    </message>
    <message>
        <source>The first sentences of the training file, each word with its tag; for BIO tags the words of a chunk share one colour per chunk type</source>
        <translation>训练文件的前几个句子，每个词带有它的标签；对于 BIO 标签，同一组块的词按组块类型共用一种颜色</translation>
    </message>
    <message>
        <source>The column of a CoNLL-style file that holds the tags, counting the word as column 1; by default the last (CoNLL-2000: column 2 has part-of-speech tags, column 3 chunk tags)</source>
        <translation>CoNLL 格式文件中保存标签的列，词本身算第 1 列；默认最后一列（CoNLL-2000：第 2 列是词性标签，第 3 列是组块标签）</translation>
    </message>
    <message>
        <source>Training data</source>
        <translation>训练数据</translation>
    </message>
    <message>
        <source>Evaluation data</source>
        <translation>评估数据</translation>
    </message>
    <message>
        <source>Text column</source>
        <translation>文本列</translation>
    </message>
    <message>
        <source>Text B column</source>
        <translation>文本 B 列</translation>
    </message>
    <message>
        <source>Label column</source>
        <translation>标签列</translation>
    </message>
    <message>
        <source>Tag column</source>
        <translation>标签列</translation>
    </message>
    <message>
        <source>corpus.txt (plain text)</source>
        <translation>corpus.txt（纯文本）</translation>
    </message>
    <message>
        <source>Plain text: documents separated by blank lines, one sentence per line. The model keeps its vocabulary and learns from masked words and sentence pairs.</source>
        <translation>纯文本：文档之间用空行分隔，每行一个句子。模型保留它的词表，并从掩码词和句对中学习。</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>detect</source>
        <translation>自动检测</translation>
    </message>
    <message>
        <source>none (single sentences)</source>
        <translation>无（单句）</translation>
    </message>
    <message>
        <source>last column</source>
        <translation>最后一列</translation>
    </message>
    <message>
        <source>column {0}</source>
        <translation>第 {0} 列</translation>
    </message>
    <message>
        <source>{0}. &lt;b&gt;Cannot train:&lt;/b&gt; {1}</source>
        <translation>{0}。&lt;b&gt;无法训练：&lt;/b&gt;{1}</translation>
    </message>
    <message>
        <source>sentence pairs</source>
        <translation>句对</translation>
    </message>
    <message>
        <source>single sentences</source>
        <translation>单句</translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;b&gt;Check the labels:&lt;/b&gt; {0}</source>
        <translation>&lt;br&gt;&lt;b&gt;请检查标签：&lt;/b&gt;{0}</translation>
    </message>
    <message>
        <source>BIO tags{0}, {1}, scored by chunk</source>
        <translation>BIO 标签{0}，{1}，按组块打分</translation>
    </message>
    <message>
        <source>{0}{1}, scored word by word</source>
        <translation>{0}{1}，逐词打分</translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;b&gt;Check the tags:&lt;/b&gt; {0}</source>
        <translation>&lt;br&gt;&lt;b&gt;请检查标签：&lt;/b&gt;{0}</translation>
    </message>
</context>
<context>
    <name>EmbeddingStep</name>
    <message>
        <source>Type a sentence to see its first layer&apos;s input.</source>
        <translation>输入一个句子，查看它第一层的输入。</translation>
    </message>
    <message>
        <source>One token&apos;s vectors: a column per hidden dimension (blue negative, red positive)</source>
        <translation>一个词元的各个向量：每个隐藏维度一列（蓝色为负，红色为正）</translation>
    </message>
    <message>
        <source>Open the Embeddings tab (every token at once)</source>
        <translation>打开“嵌入”标签页（一次显示所有词元）</translation>
    </message>
    <message>
        <source>Fixed sinusoidal PE (original Transformer)</source>
        <translation>固定的正弦位置编码（原始 Transformer）</translation>
    </message>
    <message>
        <source>This model&apos;s learned position embeddings</source>
        <translation>这个模型学到的位置嵌入</translation>
    </message>
    <message>
        <source>position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>dimension</source>
        <translation>维度</translation>
    </message>
    <message>
        <source>{0}. The original Transformer added this fixed pattern; BERT instead learns one vector per position during pretraining (its first rows, one per token of your sentence, on the right). Both give each position a distinct vector, so attention can tell word order.</source>
        <translation>{0}。原始 Transformer 加上的是这种固定模式；BERT 则在预训练中为每个位置学习一个向量（它的前几行，你的句子每个词元一行，在右侧）。两者都给每个位置一个不同的向量，因此注意力能分辨词序。</translation>
    </message>
    <message>
        <source>No token {0}: this sentence has {1} tokens.</source>
        <translation>没有词元 {0}：这个句子有 {1} 个词元。</translation>
    </message>
    <message>
        <source>Token {0}: &lt;b&gt;{1}&lt;/b&gt; (id {2}, sentence {3}, position {4}). Each row below is a vector of {5} numbers; the sum row is the first three added, and LayerNorm rescales it to mean 0 and spread 1 (then its learned gain and bias); the LayerNorm row has its own colour scale, the other four share one.</source>
        <translation>词元 {0}：&lt;b&gt;{1}&lt;/b&gt;（ID {2}，句子 {3}，位置 {4}）。下面每一行是一个由 {5} 个数字组成的向量；“和”这一行是前三行相加，LayerNorm 把它重新缩放为均值 0、离散度 1（再乘以学到的增益并加上偏置）；LayerNorm 这一行有自己的颜色刻度，其余四行共用一个。</translation>
    </message>
    <message>
        <source>Norms (lengths): </source>
        <translation>范数（长度）：</translation>
    </message>
</context>
<context>
    <name>EmbeddingsView</name>
    <message>
        <source>token, segment, position</source>
        <translation>词元、片段、位置</translation>
    </message>
    <message>
        <source>after LayerNorm</source>
        <translation>LayerNorm 之后</translation>
    </message>
    <message>
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>segment</source>
        <translation>片段</translation>
    </message>
    <message>
        <source>Norm: {0}</source>
        <translation>范数：{0}</translation>
    </message>
    <message>
        <source>norm</source>
        <translation>范数</translation>
    </message>
    <message>
        <source>position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <source>positions {0} and {1}: cosine {2:.3f}</source>
        <translation>位置 {0} 与 {1}：余弦 {2:.3f}</translation>
    </message>
</context>
<context>
    <name>FillMaskView</name>
    <message>
        <source>Which [MASK] to show, by the words around it</source>
        <translation>要显示哪个 [MASK]，以它周围的词标识</translation>
    </message>
    <message>
        <source>How many of the model&apos;s most probable tokens to list at each [MASK]</source>
        <translation>在每个 [MASK] 处列出模型认为最可能的多少个词元</translation>
    </message>
    <message>
        <source>a word, e.g. france (several: france, paris)</source>
        <translation>一个词，例如 france（多个：france, paris）</translation>
    </message>
    <message>
        <source>Type a word to see the probability the model gives it at each [MASK] and its rank among the whole vocabulary (1 = its top guess). Separate several words with commas.</source>
        <translation>输入一个词，查看模型在每个 [MASK] 处给它的概率，以及它在整个词表中的排名（1 = 首选）。多个词用逗号分隔。</translation>
    </message>
    <message>
        <source>Score every position:</source>
        <translation>为每个位置打分：</translation>
    </message>
    <message>
        <source>Also score each actual token of the text, in the way chosen on the right</source>
        <translation>同时为文本中每个实际词元打分，方式在右侧选择</translation>
    </message>
    <message>
        <source>masked one at a time (pseudo-likelihood: how predictable each word is)</source>
        <translation>逐个掩码（伪似然：每个词有多容易预测）</translation>
    </message>
    <message>
        <source>as seen, no masking (how well the model copies a word it can see)</source>
        <translation>按原样，不掩码（模型照抄一个它能看到的词的能力）</translation>
    </message>
    <message>
        <source>Masked one at a time: each token is hidden behind [MASK] in its own copy of the text and the model guesses it back from the rest (Salazar et al. 2020). As seen: the model is shown the token itself, so it mostly copies it and nearly every score is close to 1.</source>
        <translation>逐个掩码：每个词元在它自己的一份文本副本中被藏在 [MASK] 后面，模型从其余部分把它猜回来（Salazar 等，2020）。按原样：模型能看到该词元本身，所以大多只是照抄，几乎每个分数都接近 1。</translation>
    </message>
    <message>
        <source>Mask</source>
        <translation>掩码</translation>
    </message>
    <message>
        <source>Show top</source>
        <translation>显示前</translation>
    </message>
    <message>
        <source>Check a word</source>
        <translation>检查一个词</translation>
    </message>
    <message>
        <source>This model predicts {0:.0%} of held-out masked tokens correctly ({1})</source>
        <translation>这个模型能正确预测 {0:.0%} 的留出掩码词元（{1}）</translation>
    </message>
    <message>
        <source>; treat its guesses as a small model&apos;s.</source>
        <translation>；请把它的猜测当作一个小模型的猜测来看。</translation>
    </message>
    <message>
        <source>&lt;b&gt;All heads on&lt;/b&gt;</source>
        <translation>&lt;b&gt;所有注意力头均已开启&lt;/b&gt;</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>Why this prediction?</source>
        <translation>为什么是这个预测？</translation>
    </message>
    <message>
        <source>Which words of your sentence the selected prediction (default: the top one) depends on, beside what the attention says</source>
        <translation>所选预测（默认为首选）依赖于你句子中的哪些词，与注意力给出的说法并排对比</translation>
    </message>
    <message>
        <source>&lt;b&gt;Logit lens&lt;/b&gt;: the MLM head applied to this [MASK] after every layer. Bold: the final prediction; the curve follows its probability through the layers.</source>
        <translation>&lt;b&gt;Logit lens&lt;/b&gt;：在每一层之后把掩码语言模型头应用到这个 [MASK] 上。粗体：最终预测；曲线跟踪它在各层中的概率。</translation>
    </message>
    <message>
        <source>nostalgebraist (2020): reading intermediate hidden states through the output head shows at which depth the prediction forms</source>
        <translation>nostalgebraist（2020）：通过输出头读取中间的隐藏状态，可看出预测在哪个深度形成</translation>
    </message>
    <message>
        <source>layer (emb = the embeddings)</source>
        <translation>层（emb = 嵌入）</translation>
    </message>
    <message>
        <source>The sum of log P over the scored tokens, each predicted with itself masked (Salazar et al. 2020). It is never above 0; closer to 0 means the text is more predictable to this model. Compare texts of the same length: every extra token adds a negative term.</source>
        <translation>被打分词元的 log P 之和，每个词元都在自身被掩码时预测（Salazar 等，2020）。它从不大于 0；越接近 0，说明这段文本对该模型越可预测。请比较长度相同的文本：每多一个词元就多一个负项。</translation>
    </message>
    <message>
        <source>Last result, for “{0}”: the text has no [MASK] now.</source>
        <translation>上一次结果，针对“{0}”：文本现在没有 [MASK]。</translation>
    </message>
    <message>
        <source>“{0}”, the word you are checking: rank {1}</source>
        <translation>“{0}”，你正在检查的词：排名 {1}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Now: {0} off&lt;/b&gt; ({1})</source>
        <translation>&lt;b&gt;现在：{0} 已关闭&lt;/b&gt;（{1}）</translation>
    </message>
    <message>
        <source>Switched off in the Heads panel: {0}</source>
        <translation>已在“注意力头”面板中关闭：{0}</translation>
    </message>
    <message>
        <source>Switching off {0} kept the top prediction “{1}” ({2:.3f} → {3:.3f}).</source>
        <translation>关闭 {0} 后，首选预测仍是“{1}”（{2:.3f} → {3:.3f}）。</translation>
    </message>
    <message>
        <source>Switching off {0} changed the top prediction from “{1}” ({2:.3f}) to “{3}” ({4:.3f}).</source>
        <translation>关闭 {0} 后，首选预测从“{1}”（{2:.3f}）变为“{3}”（{4:.3f}）。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Check a word&lt;/b&gt; at {0}: the probability the model gives it and its rank among all {1:,} tokens of its vocabulary (rank 1 = its top guess).</source>
        <translation>在 {0} 处&lt;b&gt;检查一个词&lt;/b&gt;：模型给它的概率，以及它在词表全部 {1:,} 个词元中的排名（排名 1 = 模型的首选）。</translation>
    </message>
    <message>
        <source>(no token)</source>
        <translation>（无词元）</translation>
    </message>
    <message>
        <source>{0}  (piece {1} of {2})</source>
        <translation>{0}  （第 {1} 个片段，共 {2} 个）</translation>
    </message>
    <message>
        <source>top {0}</source>
        <translation>前 {0}</translation>
    </message>
    <message>
        <source>{0}: probability {1:.4f} ({2})</source>
        <translation>{0}：概率 {1:.4f}（{2}）</translation>
    </message>
    <message>
        <source>P(“{0}”) after each layer</source>
        <translation>每一层之后的 P(“{0}”)</translation>
    </message>
    <message>
        <source>#{0}: {1}, not scored</source>
        <translation>#{0}：{1}，不打分</translation>
    </message>
    <message>
        <source>; its predictions are above</source>
        <translation>；它的预测在上方</translation>
    </message>
    <message>
        <source>Updating… the predictions below are for “{0}”.</source>
        <translation>正在更新… 下面的预测针对的是“{0}”。</translation>
    </message>
</context>
<context>
    <name>FinetuneController</name>
    <message>
        <source>Not started: load a model in the inspector first.</source>
        <translation>未开始：请先在检查器中加载一个模型。</translation>
    </message>
    <message>
        <source>Not started: choose another output folder to keep the model in it.</source>
        <translation>未开始：请选择另一个输出文件夹来保存模型。</translation>
    </message>
    <message>
        <source>Replace the model?</source>
        <translation>替换模型？</translation>
    </message>
    <message>
        <source>{0} already holds a model. The run replaces it when it finishes. Go on?</source>
        <translation>{0} 中已经有一个模型。运行结束时会替换它。要继续吗？</translation>
    </message>
    <message>
        <source>Fine-tuning in progress</source>
        <translation>正在微调</translation>
    </message>
    <message>
        <source>A training run is in progress. Stop it and quit? A fine-tuning run keeps only its last complete checkpoint (Save every), if it wrote one.</source>
        <translation>正在进行训练。要停止并退出吗？微调运行只保留它最后一个完整的检查点（“每隔…保存”），如果已经写过的话。</translation>
    </message>
</context>
<context>
    <name>FinetuneForm</name>
    <message>
        <source>Train a classifier on labelled rows, or continue the model&apos;s pretraining (masked words and next sentence) on your own text, keeping its vocabulary</source>
        <translation>在已标注的行上训练分类器，或在你自己的文本上继续模型的预训练（掩码词和下一句），保留它的词表</translation>
    </message>
    <message>
        <source>Classify sentences or pairs (labelled rows)</source>
        <translation>句子或句对分类（已标注的行）</translation>
    </message>
    <message>
        <source>Continue pretraining on a text file (masked LM + NSP)</source>
        <translation>在文本文件上继续预训练（掩码语言模型 + 下一句预测）</translation>
    </message>
    <message>
        <source>Tag words (token classification: chunks, names)</source>
        <translation>给词打标签（词元分类：组块、名称）</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Classify&lt;/b&gt;: train a classifier (a new layer on top of the model) on rows labelled with classes, such as positive and negative reviews.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Continue pretraining&lt;/b&gt;: go on teaching the model masked words and next sentences on your own plain text, keeping its vocabulary.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Tag words&lt;/b&gt;: train a tagger that gives every word a tag, such as its chunk (B-NP begins a noun phrase, I-NP continues it, O is outside any) or a named entity (B-PER, I-LOC), from sentences tagged word by word.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;分类&lt;/b&gt;：在标有类别的行上训练一个分类器（模型顶部新加的一层），例如正面和负面的评论。&lt;/p&gt;&lt;p&gt;&lt;b&gt;继续预训练&lt;/b&gt;：在你自己的纯文本上继续教模型掩码词和下一句，保留它的词表。&lt;/p&gt;&lt;p&gt;&lt;b&gt;给词打标签&lt;/b&gt;：从逐词标注的句子中训练一个标注器，给每个词一个标签，例如它所在的组块（B-NP 表示名词短语开始，I-NP 表示延续，O 表示不属于任何组块）或命名实体（B-PER、I-LOC）。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Starts from the model loaded in the inspector.</source>
        <translation>从检查器中已加载的模型开始。</translation>
    </message>
    <message>
        <source>Load another model (File &gt; Open) to fine-tune that one instead</source>
        <translation>载入另一个模型（文件 &gt; 打开）以改为微调那个模型</translation>
    </message>
    <message>
        <source>set from the data</source>
        <translation>根据数据设置</translation>
    </message>
    <message>
        <source>&lt;p&gt;Where the fine-tuned model is written, as a Hugging Face folder (new, or holding only an earlier model). Filled in beside the data when you choose it (the sample&apos;s model goes under your home folder); type another folder to keep it elsewhere.&lt;/p&gt;&lt;p&gt;The model appears when the run finishes, or at the first checkpoint (Save every).&lt;/p&gt;</source>
        <translation>&lt;p&gt;微调后的模型写入的位置，为 Hugging Face 格式的文件夹（新建的，或只含一个较早的模型）。选择数据时会自动填为数据旁边的位置（示例数据的模型放在你的主文件夹下）；输入其他文件夹可存到别处。&lt;/p&gt;&lt;p&gt;模型在运行结束时出现，或在第一个检查点（“每隔…保存”）时出现。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;How many times training goes through every training row.&lt;/p&gt;&lt;p&gt;Too few and the loss is still falling at the end; too many and the model memorises its training rows (the eval loss turns up while the training loss keeps falling). 2 to 5 suit most data.&lt;/p&gt;</source>
        <translation>&lt;p&gt;训练遍历全部训练行的次数。&lt;/p&gt;&lt;p&gt;太少，结束时损失仍在下降；太多，模型会记住训练行（训练损失继续下降时评估损失却回升）。大多数数据用 2 到 5 就合适。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>use epochs</source>
        <translation>按轮次</translation>
    </message>
    <message>
        <source>&lt;p&gt;Stop after this many optimizer steps (one step = one batch of rows) instead of after the epochs. 0: use the epochs.&lt;/p&gt;</source>
        <translation>&lt;p&gt;在这么多个优化器步骤（一步 = 一批行）后停止，而不是按轮次停止。0：按轮次。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;End training after this many minutes (pauses not counted), then evaluate and save as usual; the learning rate is scheduled to reach 0 by then. 0: no limit.&lt;/p&gt;</source>
        <translation>&lt;p&gt;训练这么多分钟后结束（暂停不计），然后照常评估并保存；学习率会被安排在那时降到 0。0：不限时。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Rows per training step. Larger batches give smoother, fewer steps and need more memory; smaller ones give more, noisier steps.&lt;/p&gt;</source>
        <translation>&lt;p&gt;每个训练步骤的行数。批次越大，步骤越少越平滑，但需要更多内存；批次越小，步骤越多也越嘈杂。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;How big a step each update takes at its peak (it warms up, then falls to 0). Set to suit the loaded model when it loads.&lt;/p&gt;&lt;p&gt;Too high: the loss jumps about or rises. Too low: it falls very slowly.&lt;/p&gt;</source>
        <translation>&lt;p&gt;每次更新在峰值时迈多大的一步（先预热，然后降到 0）。加载模型时会设置为适合该模型的值。&lt;/p&gt;&lt;p&gt;太高：损失上下跳动或上升。太低：损失下降得很慢。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Share of the steps over which the learning rate rises from 0 to its peak (0.1 = the first tenth), so that the new classifier&apos;s first, random answers do not shake the model.&lt;/p&gt;</source>
        <translation>&lt;p&gt;学习率从 0 升到峰值所用步骤的比例（0.1 = 前十分之一），这样新分类器最初的随机回答不会扰乱模型。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Pulls the weights gently towards 0 at every step (AdamW; not biases or LayerNorm): a mild guard against memorising.&lt;/p&gt;</source>
        <translation>&lt;p&gt;在每一步把权重轻轻拉向 0（AdamW；不包括偏置和 LayerNorm）：对死记硬背的温和防护。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>model&apos;s own</source>
        <translation>模型自己的</translation>
    </message>
    <message>
        <source>&lt;p&gt;Share of the hidden, attention and classifier values dropped at random while training: more dropout fights memorising (try 0.2 to 0.3 when the eval loss turns up). The lowest setting keeps the model&apos;s own.&lt;/p&gt;</source>
        <translation>&lt;p&gt;训练时随机丢弃的隐藏值、注意力值和分类器值的比例：更多的 dropout 可以对抗死记硬背（当评估损失回升时试试 0.2 到 0.3）。最低的设置保留模型自己的值。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Tokens per row, [CLS] and [SEP] included; longer rows are cut. Shorter runs faster; the model itself reads at most its own maximum.&lt;/p&gt;&lt;p&gt;A tagger&apos;s training sentences are cut too (the log says how many words that loses); its evaluation sentences are read in pieces instead, so that every word is scored.&lt;/p&gt;</source>
        <translation>&lt;p&gt;每行的词元数，包括 [CLS] 和 [SEP]；更长的行会被截断。越短运行越快；模型本身最多读取它自己的最大长度。&lt;/p&gt;&lt;p&gt;标注器的训练句子也会被截断（日志会说明因此丢失多少词）；它的评估句子则分段读取，以便每个词都能被打分。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Batches added up per optimizer step: the effect of a batch this many times larger, in the memory of one.&lt;/p&gt;</source>
        <translation>&lt;p&gt;每个优化器步骤累加的批次数：效果相当于把批次扩大这么多倍，却只占一个批次的内存。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>freeze embeddings</source>
        <translation>冻结嵌入</translation>
    </message>
    <message>
        <source>&lt;p&gt;Keep the token, position and segment embedding tables as they are: fewer weights to train, which can help on little data.&lt;/p&gt;</source>
        <translation>&lt;p&gt;保持词元、位置和片段嵌入表不变：要训练的权重更少，数据很少时可能有帮助。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Keep the lowest N encoder layers as they are and train only the layers above and the classifier: faster, and it guards the model&apos;s general knowledge on little data.&lt;/p&gt;</source>
        <translation>&lt;p&gt;保持最低的 N 个编码器层不变，只训练上面的层和分类器：更快，而且在数据很少时能保护模型的通用知识。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>at the end only</source>
        <translation>只在结束时</translation>
    </message>
    <message>
        <source>&lt;p&gt;Also save the model every N steps, so that a cancelled run keeps its latest checkpoint. 0: save only at the end.&lt;/p&gt;</source>
        <translation>&lt;p&gt;每隔 N 步也保存一次模型，这样取消的运行会保留最新的检查点。0：只在结束时保存。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Starts the random choices (row order, the new classifier&apos;s first weights, dropout). Same seed, same data, same device: the same result; another seed shows how much of a result is luck.&lt;/p&gt;</source>
        <translation>&lt;p&gt;随机选择的起点（行的顺序、新分类器的初始权重、dropout）。相同的种子、相同的数据、相同的设备：得到相同的结果；换一个种子可以看出结果中有多少是运气。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Continue pretraining the loaded model on this text</source>
        <translation>在这段文本上继续预训练已加载的模型</translation>
    </message>
    <message>
        <source>Fine-tune a tagger from the loaded model on these tagged words</source>
        <translation>从已加载的模型出发，在这些已标注的词上微调一个标注器</translation>
    </message>
    <message>
        <source>Max steps</source>
        <translation>最大步数</translation>
    </message>
    <message>
        <source>Time limit</source>
        <translation>时间限制</translation>
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
        <source>Warmup</source>
        <translation>预热</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <source>Dropout</source>
        <translation>Dropout</translation>
    </message>
    <message>
        <source>Max length</source>
        <translation>最大长度</translation>
    </message>
    <message>
        <source>Gradient accumulation</source>
        <translation>梯度累积</translation>
    </message>
    <message>
        <source>Freeze lowest layers</source>
        <translation>冻结最低的层</translation>
    </message>
    <message>
        <source>Save every</source>
        <translation>每隔…保存</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Fine-tune the loaded model on this data</source>
        <translation>在这些数据上微调已加载的模型</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Pause or resume the run</source>
        <translation>暂停或继续运行</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the run; only a complete checkpoint (see Save every) is kept</source>
        <translation>停止运行；只保留完整的检查点（见“每隔…保存”）</translation>
    </message>
    <message>
        <source>Open in inspector</source>
        <translation>在检查器中打开</translation>
    </message>
    <message>
        <source>Load the fine-tuned model into the other tabs</source>
        <translation>把微调后的模型载入其他标签页</translation>
    </message>
    <message>
        <source>Starts from &lt;b&gt;{0}&lt;/b&gt;, the model loaded in the inspector.</source>
        <translation>从 &lt;b&gt;{0}&lt;/b&gt; 开始，即检查器中已加载的模型。</translation>
    </message>
</context>
<context>
    <name>FinetuneView</name>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Choose a training file first, or press “Use the sample dataset”.</source>
        <translation>请先选择训练文件，或按“使用示例数据集”。</translation>
    </message>
    <message>
        <source>Pausing after this step…</source>
        <translation>将在这一步之后暂停…</translation>
    </message>
    <message>
        <source>Cancelled at step {0}; nothing was written.</source>
        <translation>在第 {0} 步取消；没有写入任何内容。</translation>
    </message>
    <message>
        <source>Cancelled at step {0}; the last checkpoint is kept in {1}</source>
        <translation>在第 {0} 步取消；最后一个检查点保存在 {1}</translation>
    </message>
    <message>
        <source>{0} warning(s): see Summary. </source>
        <translation>{0} 个警告：见“摘要”。</translation>
    </message>
    <message>
        <source>Done: accuracy {0:.3f} (95% interval {1}) on {2}; always answering their most common class would score {3:.3f}. {4}Saved to {5}</source>
        <translation>完成：准确率 {0:.3f}（95% 区间 {1}），基于 {2}；总是回答其中最常见的类别可得 {3:.3f}。{4}已保存到 {5}</translation>
    </message>
    <message>
        <source>Done: {0} {1:.3f} (precision {2:.3f}, recall {3:.3f}), word accuracy {4:.3f} on {5}; always answering the commonest tag would score {6:.3f}. {7}Saved to {8}</source>
        <translation>完成：{0} {1:.3f}（精确率 {2:.3f}，召回率 {3:.3f}），词准确率 {4:.3f}，基于 {5}；总是回答最常见的标签可得 {6:.3f}。{7}已保存到 {8}</translation>
    </message>
    <message>
        <source>stopped at step {0}; the last checkpoint</source>
        <translation>在第 {0} 步停止；最后一个检查点</translation>
    </message>
    <message>
        <source>{0} steps</source>
        <translation>{0} 步</translation>
    </message>
    <message>
        <source>Continued pretraining done ({0}). Saved to {1}</source>
        <translation>继续预训练完成（{0}）。已保存到 {1}</translation>
    </message>
</context>
<context>
    <name>HeadLinesView</name>
    <message>
        <source>Layer whose attention is drawn (0 = the first layer)</source>
        <translation>要绘制其注意力的层（0 = 第一层）</translation>
    </message>
    <message>
        <source>Hide [CLS]/[SEP]</source>
        <translation>隐藏 [CLS]/[SEP]</translation>
    </message>
    <message>
        <source>Drop the special tokens from both columns and renormalise each token&apos;s weights to sum to 1</source>
        <translation>从两列中去掉特殊词元，并把每个词元的权重重新归一化为和为 1</translation>
    </message>
    <message>
        <source>Lines with a weight below this are not drawn (a line&apos;s opacity is its weight, so they would be nearly invisible anyway)</source>
        <translation>权重低于此值的连线不绘制（连线的不透明度就是它的权重，所以它们本来也几乎看不见）</translation>
    </message>
    <message>
        <source>All heads</source>
        <translation>所有注意力头</translation>
    </message>
    <message>
        <source>Draw every head of the layer, each in its own colour</source>
        <translation>绘制该层的每个注意力头，各用自己的颜色</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Untick every head</source>
        <translation>取消勾选所有注意力头</translation>
    </message>
    <message>
        <source>Reset zoom</source>
        <translation>重置缩放</translation>
    </message>
    <message>
        <source>Back to the size at which every token is labelled (the mouse wheel scrolls, Ctrl+wheel zooms)</source>
        <translation>回到每个词元都带标签的大小（鼠标滚轮滚动，Ctrl+滚轮缩放）</translation>
    </message>
    <message>
        <source>What is drawn; with a token clicked, where its attention goes or comes from</source>
        <translation>绘制的内容；点击一个词元后，显示它的注意力去向或来源</translation>
    </message>
    <message>
        <source>Heads that are switched off, lines left out</source>
        <translation>已关闭的注意力头，不画连线</translation>
    </message>
    <message>
        <source>&amp;Layer</source>
        <translation>层(&amp;L)</translation>
    </message>
    <message>
        <source>Min weight</source>
        <translation>最小权重</translation>
    </message>
    <message>
        <source>Heads (line and bar colours):</source>
        <translation>注意力头（连线和条形的颜色）：</translation>
    </message>
    <message>
        <source>Tick the heads of the layer to draw. Each head draws its lines, and the bars of a clicked token, in its own colour.</source>
        <translation>勾选该层要绘制的注意力头。每个注意力头用自己的颜色画出它的连线，以及被点击词元的条形。</translation>
    </message>
    <message>
        <source>More tokens than fit at a readable size: scroll (or use the mouse wheel)</source>
        <translation>词元太多，无法以可读的大小全部显示：请滚动（或使用鼠标滚轮）</translation>
    </message>
    <message>
        <source>Switched off in layer {0}, so not drawn: {1}.</source>
        <translation>在第 {0} 层已关闭，所以不绘制：{1}。</translation>
    </message>
    <message>
        <source>not drawn</source>
        <translation>未绘制</translation>
    </message>
    <message>
        <source>Too many lines: only the strongest {0:,} of each of {1} are drawn; raise the minimum weight.</source>
        <translation>连线太多：{1} 每个只绘制最强的 {0:,} 条；请提高最小权重。</translation>
    </message>
    <message>
        <source>There is nothing but [CLS]/[SEP] to show.</source>
        <translation>除了 [CLS]/[SEP] 之外没有可显示的内容。</translation>
    </message>
    <message>
        <source>words</source>
        <translation>词</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Layer {0}, {1} head(s), {2:,} lines of weight ≥ {3:g} over {4} {5}. Click a token on either side to follow its lines; point at a line or a token for its weights; right-click a left token or a line: how its weights are computed.</source>
        <translation>第 {0} 层，{1} 个注意力头，{2:,} 条权重 ≥ {3:g} 的连线，共 {4} 个{5}。点击任一侧的词元可跟随它的连线；将鼠标指向连线或词元可查看权重；右键点击左侧词元或连线：查看其权重如何计算。</translation>
    </message>
    <message>
        <source>bars: weight {0} &apos;{1}&apos;</source>
        <translation>条形：权重 {0} “{1}”</translation>
    </message>
    <message>
        <source>, one per head</source>
        <translation>，每个注意力头一条</translation>
    </message>
    <message>
        <source>attends most to</source>
        <translation>最关注</translation>
    </message>
    <message>
        <source>receives most attention from</source>
        <translation>最受其关注</translation>
    </message>
    <message>
        <source>no token above 0.005</source>
        <translation>没有高于 0.005 的词元</translation>
    </message>
    <message>
        <source>{0} {1} {2} in layer {3}, head {4}.</source>
        <translation>{0}在第 {3} 层、注意力头 {4} 中{1}{2}。</translation>
    </message>
    <message>
        <source>In layer {0}, {1} {2}: {3}</source>
        <translation>在第 {0} 层，{1}{2}：{3}</translation>
    </message>
    <message>
        <source>Head {0} of layer {1} is switched off (its attention is zero): nothing to draw</source>
        <translation>第 {1} 层的注意力头 {0} 已关闭（它的注意力为零）：没有可绘制的</translation>
    </message>
    <message>
        <source>Draw head {0}&apos;s attention: its lines and bars are this colour</source>
        <translation>绘制注意力头 {0} 的注意力：它的连线和条形是这种颜色</translation>
    </message>
    <message>
        <source>&lt;br&gt;and {0} more heads</source>
        <translation>&lt;br&gt;以及另外 {0} 个注意力头</translation>
    </message>
    <message>
        <source>gets most attention from</source>
        <translation>最受其关注</translation>
    </message>
    <message>
        <source>Show how {0}&apos;s weights are computed (neuron view, layer {1}, head {2})</source>
        <translation>显示 {0} 的权重如何计算（神经元视图，第 {1} 层，注意力头 {2}）</translation>
    </message>
    <message>
        <source>untick Words first (a word mixes its pieces)</source>
        <translation>请先取消勾选“词”（一个词混合了它的各个片段）</translation>
    </message>
    <message>
        <source>right-click a token on the left (a query) or a line</source>
        <translation>右键点击左侧的词元（查询）或一条连线</translation>
    </message>
    <message>
        <source>Neuron view: {0}</source>
        <translation>神经元视图：{0}</translation>
    </message>
    <message>
        <source>and {0} more lines here</source>
        <translation>这里还有 {0} 条连线</translation>
    </message>
</context>
<context>
    <name>HeadsOffNotice</name>
    <message>
        <source>Switch all on</source>
        <translation>全部开启</translation>
    </message>
    <message>
        <source>Switch every head on again (Model &gt; Switch all heads on)</source>
        <translation>重新开启每个注意力头（模型 &gt; 开启所有注意力头）</translation>
    </message>
    <message>
        <source> and {0} more (see the Heads dock)</source>
        <translation> 以及另外 {0} 个（见“注意力头”停靠窗口）</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0} off:&lt;/b&gt; {1}. The model runs without them on every tab.</source>
        <translation>&lt;b&gt;{0} 已关闭：&lt;/b&gt;{1}。模型在每个标签页上都在没有它们的情况下运行。</translation>
    </message>
</context>
<context>
    <name>HeadsView</name>
    <message>
        <source>Untick a head to switch it off (its attention is zeroed in every forward pass)</source>
        <translation>取消勾选某个注意力头即可关闭它（它的注意力在每次前向计算中都被置零）</translation>
    </message>
    <message>
        <source>Rows: layers L0, L1, …; columns: heads H0, H1, … (counted from 0). Untick to switch off.</source>
        <translation>行：层 L0、L1、…；列：注意力头 H0、H1、…（从 0 开始计数）。取消勾选即关闭。</translation>
    </message>
    <message>
        <source>All heads on.</source>
        <translation>所有注意力头均已开启。</translation>
    </message>
    <message>
        <source>Switch all heads on</source>
        <translation>开启所有注意力头</translation>
    </message>
    <message>
        <source>Undo every head ablation</source>
        <translation>撤销所有注意力头消融</translation>
    </message>
    <message>
        <source>layer {0}, head {1}: {2}</source>
        <translation>第 {0} 层，注意力头 {1}：{2}</translation>
    </message>
    <message>
        <source>on</source>
        <translation>开启</translation>
    </message>
    <message>
        <source>switched off</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Switched off ({0}): {1}</source>
        <translation>已关闭（{0}）：{1}</translation>
    </message>
</context>
<context>
    <name>HiddenStatesView</name>
    <message>
        <source>The embeddings, then the output of each layer, L0 being the first (as in the Heads dock)</source>
        <translation>嵌入，然后是每一层的输出，L0 为第一层（与“注意力头”停靠窗口相同）</translation>
    </message>
    <message>
        <source>this layer&apos;s PCA</source>
        <translation>本层的 PCA</translation>
    </message>
    <message>
        <source>all layers&apos; PCA</source>
        <translation>所有层的 PCA</translation>
    </message>
    <message>
        <source>This layer&apos;s PCA: the two directions in which this layer&apos;s vectors differ most (each layer its own axes).
All layers&apos; PCA: one pair of axes fitted on every layer&apos;s vectors together, so positions can be compared across layers; a followed token&apos;s path is drawn in it.</source>
        <translation>本层的 PCA：本层向量差异最大的两个方向（每层有自己的坐标轴）。
所有层的 PCA：在所有层的向量上一起拟合的一对坐标轴，因此可以跨层比较位置；被跟随词元的路径画在其中。</translation>
    </message>
    <message>
        <source>Draw this token&apos;s position at every layer as one path (or click its point)</source>
        <translation>把这个词元在每一层的位置画成一条路径（或点击它的点）</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Projection</source>
        <translation>投影</translation>
    </message>
    <message>
        <source>Follow</source>
        <translation>跟随</translation>
    </message>
    <message>
        <source>{0}  (token {1})</source>
        <translation>{0}  （词元 {1}）</translation>
    </message>
    <message>
        <source>sentence A</source>
        <translation>句子 A</translation>
    </message>
    <message>
        <source>sentence B</source>
        <translation>句子 B</translation>
    </message>
    <message>
        <source>[CLS] / [SEP], added by the tokenizer</source>
        <translation>[CLS] / [SEP]，由分词器添加</translation>
    </message>
    <message>
        <source>path of “{0}”, from emb (the embeddings) to the last layer</source>
        <translation>“{0}”的路径，从 emb（嵌入）到最后一层</translation>
    </message>
    <message>
        <source>all layers</source>
        <translation>所有层</translation>
    </message>
    <message>
        <source>this layer</source>
        <translation>本层</translation>
    </message>
    <message>
        <source>PC1 of {0} ({1:.0%} of the variance)</source>
        <translation>{0}的 PC1（占方差的 {1:.0%}）</translation>
    </message>
    <message>
        <source>PC2 of {0} ({1:.0%} of the variance)</source>
        <translation>{0}的 PC2（占方差的 {1:.0%}）</translation>
    </message>
    <message>
        <source>{0} label{1} left out where {2} would overlap: point at a dot to see its token</source>
        <translation>{0} 个标签因 {2} 会重叠而省略：将鼠标指向一个点可查看它的词元</translation>
    </message>
</context>
<context>
    <name>HubDialog</name>
    <message>
        <source>Open from the Hugging Face Hub</source>
        <translation>从 Hugging Face Hub 打开</translation>
    </message>
    <message>
        <source>e.g. bert-base-uncased or ORG/NAME</source>
        <translation>例如 bert-base-uncased 或 ORG/NAME</translation>
    </message>
    <message>
        <source>Only what a BERT needs is downloaded (config, vocabulary, weights) into the Hugging Face cache, which transformers and other tools share. A model already there opens without the network.</source>
        <translation>只下载 BERT 需要的文件（配置、词表、权重），存入 Hugging Face 缓存，transformers 和其他工具共用该缓存。已在缓存中的模型无需网络即可打开。</translation>
    </message>
    <message>
        <source>&amp;Download and open</source>
        <translation>下载并打开(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Cancel download</source>
        <translation>取消下载(&amp;C)</translation>
    </message>
    <message>
        <source>Hide this dialog; a download goes on and opens its model when done</source>
        <translation>隐藏此对话框；下载会继续，完成后打开它的模型</translation>
    </message>
    <message>
        <source>Model id on the Hugging Face Hub:</source>
        <translation>Hugging Face Hub 上的模型 ID：</translation>
    </message>
    <message>
        <source>Type a model id: NAME or ORG/NAME, e.g. bert-base-uncased.</source>
        <translation>请输入模型 ID：NAME 或 ORG/NAME，例如 bert-base-uncased。</translation>
    </message>
    <message>
        <source>{0} is in the cache: opening it.</source>
        <translation>{0} 已在缓存中：正在打开。</translation>
    </message>
    <message>
        <source>asking the Hub which files it has…</source>
        <translation>正在询问 Hub 有哪些文件…</translation>
    </message>
    <message>
        <source>{0}  ({1})</source>
        <translation>{0}  （{1}）</translation>
    </message>
    <message>
        <source>Downloaded {0}: opening it.</source>
        <translation>已下载 {0}：正在打开。</translation>
    </message>
    <message>
        <source>Cancelled: nothing was opened. Downloading it again goes on from where this stopped.</source>
        <translation>已取消：没有打开任何模型。再次下载会从停止的地方继续。</translation>
    </message>
</context>
<context>
    <name>HubDownloadWorker</name>
    <message>
        <source>the download failed unexpectedly ({0}: {1})</source>
        <translation>下载意外失败（{0}：{1}）</translation>
    </message>
</context>
<context>
    <name>LayerStepsView</name>
    <message>
        <source>Scroll to a step</source>
        <translation>滚动到某一步骤</translation>
    </message>
    <message>
        <source>Type a sentence to step through a layer.</source>
        <translation>输入一个句子，逐步查看一层。</translation>
    </message>
    <message>
        <source>Go to step</source>
        <translation>转到步骤</translation>
    </message>
    <message>
        <source>many</source>
        <translation>许多</translation>
    </message>
    <message>
        <source>{0}. {1}</source>
        <translation>{0}。{1}</translation>
    </message>
    <message>
        <source>hidden dimension</source>
        <translation>隐藏维度</translation>
    </message>
    <message>
        <source>head dimension</source>
        <translation>注意力头维度</translation>
    </message>
    <message>
        <source>hidden dimension (head after head)</source>
        <translation>隐藏维度（注意力头依次排列）</translation>
    </message>
    <message>
        <source>Neurons: {0}</source>
        <translation>神经元：{0}</translation>
    </message>
    <message>
        <source>Which feed-forward neurons to draw: the chosen token&apos;s most active ones (largest first), or all of them in their order (thousands of columns in a large model)</source>
        <translation>要绘制哪些前馈神经元：所选词元最活跃的那些（从大到小），或按顺序显示全部（大模型中有数千列）</translation>
    </message>
    <message>
        <source>x: input of layer {0}</source>
        <translation>x：第 {0} 层的输入</translation>
    </message>
    <message>
        <source>heads concatenated</source>
        <translation>拼接后的注意力头</translation>
    </message>
    <message>
        <source>attention output</source>
        <translation>注意力输出</translation>
    </message>
    <message>
        <source>feed-forward output</source>
        <translation>前馈输出</translation>
    </message>
    <message>
        <source>output of layer {0}</source>
        <translation>第 {0} 层的输出</translation>
    </message>
    <message>
        <source>Layer {0}: {1} tokens, {2} heads of {3} dimensions.</source>
        <translation>第 {0} 层：{1} 个词元，{2} 个注意力头，每个 {3} 维。</translation>
    </message>
    <message>
        <source>Here the bias is &lt;b&gt;0 for all {0} tokens&lt;/b&gt;: one unpadded input, so the mask changes nothing and the weights below are the softmax of the scores above.</source>
        <translation>这里所有 {0} 个词元的偏置都是 &lt;b&gt;0&lt;/b&gt;：只有一条未填充的输入，所以掩码不改变任何东西，下面的权重就是上面分数的 softmax。</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0} of {1} tokens are masked&lt;/b&gt; (bias {2:.3g}): {3}.</source>
        <translation>&lt;b&gt;{1} 个词元中有 {0} 个被掩码&lt;/b&gt;（偏置 {2:.3g}）：{3}。</translation>
    </message>
    <message>
        <source>queries q, head {0}</source>
        <translation>查询 q，注意力头 {0}</translation>
    </message>
    <message>
        <source>keys k, head {0}</source>
        <translation>键 k，注意力头 {0}</translation>
    </message>
    <message>
        <source>values v, head {0}</source>
        <translation>值 v，注意力头 {0}</translation>
    </message>
    <message>
        <source>scores of the query {0}, head {1}</source>
        <translation>查询 {0} 的分数，注意力头 {1}</translation>
    </message>
    <message>
        <source>The query {0} matches the key of {1} best.</source>
        <translation>查询 {0} 与 {1} 的键最匹配。</translation>
    </message>
    <message>
        <source>attention weights of {0}, head {1}</source>
        <translation>{0} 的注意力权重，注意力头 {1}</translation>
    </message>
    <message>
        <source>all {0} neurons, in order</source>
        <translation>全部 {0} 个神经元，按顺序</translation>
    </message>
    <message>
        <source>the {0} neurons most active for {1}, of {2}, largest first</source>
        <translation>{1} 最活跃的 {0} 个神经元（共 {2} 个），从大到小</translation>
    </message>
    <message>
        <source>{0}&apos;s activations are not finite numbers.</source>
        <translation>{0} 的激活值不是有限的数。</translation>
    </message>
    <message>
        <source>{0} fires {1} of its {2} neurons above 0.1 (the largest: neuron {3}, {4:.2f}).</source>
        <translation>{0} 的 {2} 个神经元中有 {1} 个高于 0.1（最大：神经元 {3}，{4:.2f}）。</translation>
    </message>
    <message>
        <source>Head {0} is switched off: its weights are multiplied by 0.</source>
        <translation>注意力头 {0} 已关闭：它的权重乘以 0。</translation>
    </message>
    <message>
        <source>{0} gives {1:.2f} of its attention to {2}; the weights sum to {3:.3f}.</source>
        <translation>{0} 把 {1:.2f} 的注意力给了 {2}；权重之和为 {3:.3f}。</translation>
    </message>
    <message>
        <source>No token gets weight: the context is all zeros.</source>
        <translation>没有词元得到权重：上下文全为零。</translation>
    </message>
    <message>
        <source>Mostly the values of {0}.</source>
        <translation>主要是 {0} 的值。</translation>
    </message>
    <message>
        <source>length {0:.2f}, mean {1:+.3f}, spread (std) {2:.3f}</source>
        <translation>长度 {0:.2f}，均值 {1:+.3f}，离散度（标准差）{2:.3f}</translation>
    </message>
    <message>
        <source>Before LayerNorm: {0}. After: {1}.</source>
        <translation>LayerNorm 之前：{0}。之后：{1}。</translation>
    </message>
    <message>
        <source>{0}: cosine similarity of its output to its input {1:.2f} (1 = the same direction: the layer changed little of it).</source>
        <translation>{0}：它的输出与输入的余弦相似度为 {1:.2f}（1 = 方向相同：这一层几乎没有改变它）。</translation>
    </message>
    <message>
        <source>context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <source>token {0}</source>
        <translation>词元 {0}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Heads</source>
        <translation>注意力头</translation>
    </message>
    <message>
        <source>No model</source>
        <translation>无模型</translation>
    </message>
    <message>
        <source>Memory used by BERT Explorer (resident set size)</source>
        <translation>BERT Explorer 使用的内存（常驻集大小）</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <source>{0}: could not write the image (check the folder and the name)</source>
        <translation>{0}：无法写入图像（请检查文件夹和文件名）</translation>
    </message>
    <message>
        <source>nothing to export yet: type a sentence first</source>
        <translation>还没有可导出的内容：请先输入一个句子</translation>
    </message>
    <message>
        <source>Attention of {0}: {1}</source>
        <translation>{0} 的注意力：{1}</translation>
    </message>
    <message>
        <source>{0}: could not write the page ({1})</source>
        <translation>{0}：无法写入网页（{1}）</translation>
    </message>
    <message>
        <source>Loading {0}…</source>
        <translation>正在加载 {0}…</translation>
    </message>
    <message>
        <source>the bundled model</source>
        <translation>内置模型</translation>
    </message>
    <message>
        <source>Could not open the model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <source>Out of GPU memory</source>
        <translation>GPU 内存不足</translation>
    </message>
    <message>
        <source>{0}.

Run on the CPU instead?</source>
        <translation>{0}。

改为在 CPU 上运行吗？</translation>
    </message>
    <message>
        <source>Saved {0} and its .json summary</source>
        <translation>已保存 {0} 及其 .json 摘要</translation>
    </message>
    <message>
        <source>Memory: {0:,.0f} MB</source>
        <translation>内存：{0:,.0f} MB</translation>
    </message>
</context>
<context>
    <name>ModelView</name>
    <message>
        <source>No model loaded.</source>
        <translation>未加载模型。</translation>
    </message>
    <message>
        <source>setting</source>
        <translation>设置项</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>component</source>
        <translation>组件</translation>
    </message>
    <message>
        <source>parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>&lt;b&gt;Parameters per component&lt;/b&gt;</source>
        <translation>&lt;b&gt;各组件的参数&lt;/b&gt;</translation>
    </message>
    <message>
        <source>built in memory</source>
        <translation>在内存中构建</translation>
    </message>
    <message>
        <source>&lt;b style=&apos;font-size:large&apos;&gt;{0}&lt;/b&gt;&lt;br&gt;{1}&lt;br&gt;{2}, {3:,} parameters, on {4}</source>
        <translation>&lt;b style=&apos;font-size:large&apos;&gt;{0}&lt;/b&gt;&lt;br&gt;{1}&lt;br&gt;{2}，{3:,} 个参数，运行于 {4}</translation>
    </message>
    <message>
        <source>Measured with: {0}</source>
        <translation>测量方式：{0}</translation>
    </message>
    <message>
        <source>fill-mask (masked-LM head)</source>
        <translation>掩码预测（掩码语言模型头）</translation>
    </message>
    <message>
        <source>next-sentence prediction</source>
        <translation>下一句预测</translation>
    </message>
    <message>
        <source>; ✔ {0} classifier with {1} labels ({2})</source>
        <translation>；✔ {0} 分类器，{1} 个标签（{2}）</translation>
    </message>
    <message>
        <source>&lt;br&gt;Not used ({0} tensor(s) with no place in BERT Explorer): {1}</source>
        <translation>&lt;br&gt;未使用（{0} 个张量在 BERT Explorer 中没有对应位置）：{1}</translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;b style=&apos;color:#b45309&apos;&gt;Warning:&lt;/b&gt; {0}</source>
        <translation>&lt;br&gt;&lt;b style=&apos;color:#b45309&apos;&gt;警告：&lt;/b&gt;{0}</translation>
    </message>
</context>
<context>
    <name>ModelWorker</name>
    <message>
        <source>could not load the model</source>
        <translation>无法加载模型</translation>
    </message>
    <message>
        <source>the forward pass failed</source>
        <translation>前向计算失败</translation>
    </message>
    <message>
        <source>the layer could not be traced</source>
        <translation>无法追踪该层</translation>
    </message>
    <message>
        <source>could not move the model</source>
        <translation>无法移动模型</translation>
    </message>
    <message>
        <source>nothing to export yet: type a sentence first</source>
        <translation>还没有可导出的内容：请先输入一个句子</translation>
    </message>
    <message>
        <source>{0}: could not write ({1})</source>
        <translation>{0}：无法写入（{1}）</translation>
    </message>
    <message>
        <source>could not build that size</source>
        <translation>无法构建该规模</translation>
    </message>
    <message>
        <source>could not open the index</source>
        <translation>无法打开索引</translation>
    </message>
</context>
<context>
    <name>NSPView</name>
    <message>
        <source>P(IsNext): the next-sentence head&apos;s probability that B follows A</source>
        <translation>P(IsNext)：下一句预测头认为 B 紧跟在 A 之后的概率</translation>
    </message>
    <message>
        <source>P(NotNext) = 1 − P(IsNext): the probability that B comes from elsewhere</source>
        <translation>P(NotNext) = 1 − P(IsNext)：B 来自别处的概率</translation>
    </message>
    <message>
        <source>IsNext</source>
        <translation>IsNext</translation>
    </message>
    <message>
        <source>NotNext</source>
        <translation>NotNext</translation>
    </message>
    <message>
        <source>Sentence A: {0}
Sentence B: {1}</source>
        <translation>句子 A：{0}
句子 B：{1}</translation>
    </message>
    <message>
        <source>The fine-tuned classifier&apos;s probability for each class, for the text above</source>
        <translation>微调过的分类器对上面文本中每一类给出的概率</translation>
    </message>
    <message>
        <source>Why this class?</source>
        <translation>为什么是这一类？</translation>
    </message>
    <message>
        <source>Which words of the text the classifier&apos;s top class depends on</source>
        <translation>分类器的首选类别依赖于文本中的哪些词</translation>
    </message>
    <message>
        <source>This fine-tuned classifier has no next-sentence head; its classes are below (type a sentence B too if it was trained on pairs).</source>
        <translation>这个微调过的分类器没有下一句预测头；它的类别如下（如果它是在句对上训练的，也请输入句子 B）。</translation>
    </message>
    <message>
        <source>This fine-tuned token classifier has no next-sentence head; each word&apos;s tag is below.</source>
        <translation>这个微调过的词元分类器没有下一句预测头；每个词的标签如下。</translation>
    </message>
    <message>
        <source>This model has no next-sentence head, so it cannot tell whether B follows A.</source>
        <translation>这个模型没有下一句预测头，所以无法判断 B 是否紧跟在 A 之后。</translation>
    </message>
    <message>
        <source>Sentence A is empty: type one to ask whether sentence B follows it.</source>
        <translation>句子 A 为空：输入一个句子，以询问句子 B 是否紧跟其后。</translation>
    </message>
    <message>
        <source>P(IsNext) is not a number (NaN): the model&apos;s weights hold NaN or Inf values.</source>
        <translation>P(IsNext) 不是数字（NaN）：模型的权重中含有 NaN 或 Inf 值。</translation>
    </message>
    <message>
        <source>&lt;h2&gt;IsNext: sentence B follows sentence A&lt;/h2&gt;The model answers IsNext, as P(IsNext) is 0.5 or more.</source>
        <translation>&lt;h2&gt;IsNext：句子 B 紧跟在句子 A 之后&lt;/h2&gt;模型回答 IsNext，因为 P(IsNext) 大于或等于 0.5。</translation>
    </message>
    <message>
        <source>&lt;h2&gt;NotNext: sentence B does not follow sentence A&lt;/h2&gt;The model answers NotNext, as P(IsNext) is below 0.5: it thinks B was taken from another document.</source>
        <translation>&lt;h2&gt;NotNext：句子 B 并不紧跟在句子 A 之后&lt;/h2&gt;模型回答 NotNext，因为 P(IsNext) 低于 0.5：它认为 B 取自另一篇文档。</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Classifier: {0}&lt;/h3&gt;</source>
        <translation>&lt;h3&gt;分类器：{0}&lt;/h3&gt;</translation>
    </message>
</context>
<context>
    <name>NeuronPanel</name>
    <message>
        <source>Type a sentence to see how a head scores each token.</source>
        <translation>输入一个句子，查看一个注意力头如何给每个词元打分。</translation>
    </message>
    <message>
        <source>Show all keys</source>
        <translation>显示所有键</translation>
    </message>
    <message>
        <source>Unticked, a long input shows only the {0} keys with the largest weights</source>
        <translation>未勾选时，长输入只显示权重最大的 {0} 个键</translation>
    </message>
    <message>
        <source>query q of the chosen token</source>
        <translation>所选词元的查询 q</translation>
    </message>
    <message>
        <source>keys k</source>
        <translation>键 k</translation>
    </message>
    <message>
        <source>head dimension</source>
        <translation>注意力头维度</translation>
    </message>
    <message>
        <source>q × k, dimension by dimension</source>
        <translation>q × k，逐维</translation>
    </message>
    <message>
        <source>score = sum × 1/√d</source>
        <translation>分数 = 和 × 1/√d</translation>
    </message>
    <message>
        <source>score</source>
        <translation>分数</translation>
    </message>
    <message>
        <source>weight (softmax)</source>
        <translation>权重（softmax）</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Show all {0} keys</source>
        <translation>显示全部 {0} 个键</translation>
    </message>
    <message>
        <source>&lt;b&gt;Layer {0}, head {1}&lt;/b&gt;: how the query of &lt;b&gt;{2}&lt;/b&gt; (#{3}) scores every key, and the attention weights it gets from them.</source>
        <translation>&lt;b&gt;第 {0} 层，注意力头 {1}&lt;/b&gt;：&lt;b&gt;{2}&lt;/b&gt;（#{3}）的查询如何为每个键打分，以及它从中得到的注意力权重。</translation>
    </message>
    <message>
        <source> &lt;b&gt;This head is switched off&lt;/b&gt;: its weights are all 0.</source>
        <translation> &lt;b&gt;这个注意力头已关闭&lt;/b&gt;：它的权重全为 0。</translation>
    </message>
    <message>
        <source> {0} padding token(s) are masked: their weight is 0 whatever their score.</source>
        <translation> {0} 个填充词元被掩码：无论分数如何，它们的权重都是 0。</translation>
    </message>
    <message>
        <source>All {0} keys, in sentence order.{1}</source>
        <translation>全部 {0} 个键，按句子顺序。{1}</translation>
    </message>
    <message>
        <source>The {0} keys with the largest weights, of {1}, in sentence order: together {2:.2f} of the attention.{3}</source>
        <translation>权重最大的 {0} 个键（共 {1} 个），按句子顺序：合计占注意力的 {2:.2f}。{3}</translation>
    </message>
    <message>
        <source>key of {0}, dimension {1}: {2:.3f}</source>
        <translation>{0} 的键，第 {1} 维：{2:.3f}</translation>
    </message>
</context>
<context>
    <name>ProbabilityTable</name>
    <message>
        <source>class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>概率</translation>
    </message>
</context>
<context>
    <name>ResultsPanel</name>
    <message>
        <source>Confusion matrix on the evaluation data: rows = true class, columns = predicted</source>
        <translation>评估数据上的混淆矩阵：行 = 真实类别，列 = 预测类别</translation>
    </message>
    <message>
        <source>What the run&apos;s numbers can and cannot tell, and what to change</source>
        <translation>这次运行的数字能说明什么、不能说明什么，以及该改些什么</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <source>Attention change</source>
        <translation>注意力变化</translation>
    </message>
    <message>
        <source>Try it</source>
        <translation>试用</translation>
    </message>
    <message>
        <source>Type a sentence for the fine-tuned classifier</source>
        <translation>为微调过的分类器输入一个句子</translation>
    </message>
    <message>
        <source>Class probabilities from the model this run saved</source>
        <translation>本次运行保存的模型给出的各类概率</translation>
    </message>
    <message>
        <source>Sentence B (pair tasks)</source>
        <translation>句子 B（句对任务）</translation>
    </message>
    <message>
        <source>Second sentence, for a model fine-tuned on pairs</source>
        <translation>第二个句子，用于在句对上微调过的模型</translation>
    </message>
    <message>
        <source>The fine-tuned model&apos;s probability for each class</source>
        <translation>微调后的模型对每一类给出的概率</translation>
    </message>
    <message>
        <source>Finish a run to try its model here.</source>
        <translation>完成一次运行后，可在这里试用它的模型。</translation>
    </message>
    <message>
        <source>The model in {0} tags words: press Open in inspector, and the Sentence tab shows its tag under each word.</source>
        <translation>{0} 中的模型给词打标签：按“在检查器中打开”，“句子”标签页会在每个词下方显示它的标签。</translation>
    </message>
    <message>
        <source>Type a sentence: the model in {0} classifies it as you type.</source>
        <translation>输入一个句子：{0} 中的模型会在你输入时对它分类。</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Accuracy {0:.3f}&lt;/b&gt; on {1} (macro-F1 {2:.3f}).&lt;br&gt;95% interval: {3} (Wilson score): on other rows like these, the accuracy would most likely fall in this range. More evaluation rows make it narrower.&lt;br&gt;Always answering the most common class, “{4}”, would score {5:.3f}.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;准确率 {0:.3f}&lt;/b&gt;，基于 {1}（宏平均 F1 {2:.3f}）。&lt;br&gt;95% 区间：{3}（Wilson 区间）：在其他类似的行上，准确率很可能落在这个范围内。评估行越多，区间越窄。&lt;br&gt;总是回答最常见的类别“{4}”可得 {5:.3f}。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;No warnings: the whole interval is above the most-common-class score, the eval loss did not turn up, and the training loss had settled.&lt;/p&gt;</source>
        <translation>&lt;p&gt;没有警告：整个区间都高于最常见类别的分数，评估损失没有回升，训练损失已趋于平稳。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Chunk F1 {0:.3f}&lt;/b&gt; (precision {1:.3f}, recall {2:.3f}) on {3} in {4}: a predicted chunk counts only if its first word, last word and type all match, as CoNLL&apos;s conlleval scores them.&lt;br&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;组块 F1 {0:.3f}&lt;/b&gt;（精确率 {1:.3f}，召回率 {2:.3f}），基于 {4} 中的 {3}：只有首词、尾词和类型都一致，预测的组块才算正确，与 CoNLL 的 conlleval 打分方式相同。&lt;br&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Macro-F1 {0:.3f}&lt;/b&gt; over the tags (precision {1:.3f}, recall {2:.3f}) on {3}: these tags name no chunks, so each word is scored on its own.&lt;br&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;宏平均 F1 {0:.3f}&lt;/b&gt;，按标签计算（精确率 {1:.3f}，召回率 {2:.3f}），基于 {3}：这些标签不表示组块，所以每个词单独打分。&lt;br&gt;</translation>
    </message>
    <message>
        <source>Word accuracy {0:.3f}; always answering the commonest tag, “{1}”, would score {2:.3f}.&lt;/p&gt;</source>
        <translation>词准确率 {0:.3f}；总是回答最常见的标签“{1}”可得 {2:.3f}。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>chunk type</source>
        <translation>组块类型</translation>
    </message>
    <message>
        <source>tag</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>&lt;p&gt;No warnings: enough evaluation data, above the commonest-tag score, and the loss settled.&lt;/p&gt;</source>
        <translation>&lt;p&gt;没有警告：评估数据足够，分数高于最常见标签的分数，损失已趋于平稳。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt; ({1:.1%})</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;（{1:.1%}）</translation>
    </message>
</context>
<context>
    <name>SizeExplorer</name>
    <message>
        <source>BERT-{0} ({1} layers, hidden {2}, {3} heads)</source>
        <translation>BERT-{0}（{1} 层，隐藏层 {2}，{3} 个注意力头）</translation>
    </message>
    <message>
        <source>custom (set the sizes below)</source>
        <translation>自定义（在下方设置规模）</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>规模</translation>
    </message>
    <message>
        <source>{0} (1 to {1:,})</source>
        <translation>{0}（1 到 {1:,}）</translation>
    </message>
    <message>
        <source>Length of one input sequence, for the activation memory below</source>
        <translation>一条输入序列的长度，用于下方的激活内存</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Google&apos;s vocabulary ({0:,})</source>
        <translation>Google 的词表（{0:,}）</translation>
    </message>
    <message>
        <source>The 30,522-token uncased WordPiece vocabulary of Google&apos;s BERT models</source>
        <translation>Google BERT 模型所用的 30,522 个词元的不区分大小写 WordPiece 词表</translation>
    </message>
    <message>
        <source>The vocabulary size of the model open in the window</source>
        <translation>窗口中打开的模型的词表大小</translation>
    </message>
    <message>
        <source>component</source>
        <translation>组件</translation>
    </message>
    <message>
        <source>matrices (shape) and vectors</source>
        <translation>矩阵（形状）和向量</translation>
    </message>
    <message>
        <source>parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>share</source>
        <translation>占比</translation>
    </message>
    <message>
        <source>Loaded model&apos;s ({0:,})</source>
        <translation>已加载模型的（{0:,}）</translation>
    </message>
    <message>
        <source>{0}; the table still shows {1}</source>
        <translation>{0}；表格仍显示 {1}</translation>
    </message>
</context>
<context>
    <name>StrictDoubleSpinBox</name>
    <message>
        <source>This field</source>
        <translation>此字段</translation>
    </message>
</context>
<context>
    <name>StrictSpinBox</name>
    <message>
        <source>This field</source>
        <translation>此字段</translation>
    </message>
</context>
<context>
    <name>TextInput</name>
    <message>
        <source>Sentence A: type anything; [MASK] marks a word to predict</source>
        <translation>句子 A：随便输入；[MASK] 标记要预测的词</translation>
    </message>
    <message>
        <source>The sentence to inspect; the views update as you type</source>
        <translation>要检查的句子；输入时各视图随之更新</translation>
    </message>
    <message>
        <source>Sentence B (optional): makes a pair, as in next-sentence prediction</source>
        <translation>句子 B（可选）：组成句对，与下一句预测相同</translation>
    </message>
    <message>
        <source>Optional second sentence (segment B)</source>
        <translation>可选的第二个句子（片段 B）</translation>
    </message>
    <message>
        <source>Examples…</source>
        <translation>示例…</translation>
    </message>
    <message>
        <source>Load an example sentence or pair</source>
        <translation>载入一个示例句子或句对</translation>
    </message>
    <message>
        <source>Sentence A</source>
        <translation>句子 A</translation>
    </message>
    <message>
        <source>Sentence B</source>
        <translation>句子 B</translation>
    </message>
    <message>
        <source>{0} is added by the tokenizer, not typed: there is nothing in the text to mask.</source>
        <translation>{0} 是分词器添加的，不是输入的：文本中没有可掩码的内容。</translation>
    </message>
    <message>
        <source>The sentence changed since these tokens were made; double-click again once they update.</source>
        <translation>这些词元生成后句子已改变；请等它们更新后再双击。</translation>
    </message>
</context>
<context>
    <name>TokenChip</name>
    <message>
        <source>special token, added by the tokenizer</source>
        <translation>特殊词元，由分词器添加</translation>
    </message>
    <message>
        <source>not in the vocabulary</source>
        <translation>不在词表中</translation>
    </message>
    <message>
        <source>continues the word before it</source>
        <translation>延续前一个词</translation>
    </message>
    <message>
        <source>a typed [MASK]</source>
        <translation>输入的 [MASK]</translation>
    </message>
    <message>
        <source>word piece</source>
        <translation>词片段</translation>
    </message>
    <message>
        <source>
Double-click: mask the word &quot;{0}&quot;</source>
        <translation>
双击：掩码整个词“{0}”</translation>
    </message>
    <message>
        <source>
Double-click: mask it</source>
        <translation>
双击：将它掩码</translation>
    </message>
    <message>
        <source>Token {0}: {1} (id {2}, segment {3}), {4}{5}</source>
        <translation>词元 {0}：{1}（ID {2}，片段 {3}），{4}{5}</translation>
    </message>
</context>
<context>
    <name>TokensView</name>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <source>What the model receives: one column per token; hover a row&apos;s name for its meaning</source>
        <translation>模型接收到的内容：每个词元一列；将鼠标悬停在行名上可查看其含义</translation>
    </message>
    <message>
        <source>&lt;b&gt;What the model receives&lt;/b&gt; (one column per token)</source>
        <translation>&lt;b&gt;模型接收到的内容&lt;/b&gt;（每个词元一列）</translation>
    </message>
    <message>
        <source>sentence A</source>
        <translation>句子 A</translation>
    </message>
    <message>
        <source>A token of sentence A</source>
        <translation>句子 A 的词元</translation>
    </message>
    <message>
        <source>sentence B</source>
        <translation>句子 B</translation>
    </message>
    <message>
        <source>A token of sentence B</source>
        <translation>句子 B 的词元</translation>
    </message>
    <message>
        <source>Added by the tokenizer, not typed</source>
        <translation>由分词器添加，不是输入的</translation>
    </message>
    <message>
        <source>##piece</source>
        <translation>##片段</translation>
    </message>
    <message>
        <source>Continues the word before it</source>
        <translation>延续前一个词</translation>
    </message>
    <message>
        <source>Not in the vocabulary</source>
        <translation>不在词表中</translation>
    </message>
    <message>
        <source>dashed: a ## piece continues the word before it · red outline: not in the vocabulary · the small number is the token id</source>
        <translation>虚线：## 片段延续前一个词 · 红色边框：不在词表中 · 小数字是词元 ID</translation>
    </message>
    <message>
        <source>The input was longer than the model&apos;s maximum of {0} tokens and was cut.</source>
        <translation>输入超过了模型的最大长度 {0} 个词元，已被截断。</translation>
    </message>
    <message>
        <source>{0} piece(s) are not in the vocabulary ([UNK], outlined red).</source>
        <translation>{0} 个片段不在词表中（[UNK]，红框标出）。</translation>
    </message>
</context>
<context>
    <name>TrainingMonitor</name>
    <message>
        <source>%v / %m steps</source>
        <translation>%v / %m 步</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>cross-entropy</source>
        <translation>交叉熵</translation>
    </message>
    <message>
        <source>on the evaluation data</source>
        <translation>在评估数据上</translation>
    </message>
    <message>
        <source>Reading and tokenizing the data…</source>
        <translation>正在读取数据并分词…</translation>
    </message>
    <message>
        <source>Training a tagger: {0} steps, {1} tags.</source>
        <translation>正在训练标注器：{0} 步，{1} 个标签。</translation>
    </message>
    <message>
        <source>Training: {0} steps, labels {1}.</source>
        <translation>正在训练：{0} 步，标签 {1}。</translation>
    </message>
    <message>
        <source>step {0}/{1}, epoch {2}, loss {3:.4f}, {4:,.0f} tokens/s, {5} left</source>
        <translation>第 {0}/{1} 步，第 {2} 轮，损失 {3:.4f}，{4:,.0f} 词元/秒，剩余 {5}</translation>
    </message>
    <message>
        <source>Paused at step {0}: press Resume to go on (the time limit waits too).</source>
        <translation>已在第 {0} 步暂停：按“继续”以继续（时间限制也会等待）。</translation>
    </message>
</context>
<context>
    <name>TwoContexts</name>
    <message>
        <source>Sentence {0}</source>
        <translation>第 {0} 句</translation>
    </message>
    <message>
        <source>The word compared (a word split into pieces: the mean of its pieces)</source>
        <translation>要比较的词（被切成片段的词：取其各片段的平均值）</translation>
    </message>
    <message>
        <source>word</source>
        <translation>词</translation>
    </message>
    <message>
        <source>layer (0 = embeddings)</source>
        <translation>层（0 = 嵌入）</translation>
    </message>
    <message>
        <source>cosine similarity</source>
        <translation>余弦相似度</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt; and &lt;b&gt;{1}&lt;/b&gt;: {2:.2f} at the embeddings, {3:.2f} after the last layer (lowest {4:.2f}, {5}).</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt; 与 &lt;b&gt;{1}&lt;/b&gt;：嵌入层处为 {2:.2f}，最后一层之后为 {3:.2f}（最低 {4:.2f}，{5}）。</translation>
    </message>
    <message>
        <source>at the embeddings</source>
        <translation>在嵌入层</translation>
    </message>
    <message>
        <source>after layer {0}</source>
        <translation>第 {0} 层之后</translation>
    </message>
    <message>
        <source>Corpus neighbours of &lt;b&gt;{0}&lt;/b&gt; after layer {1}: {2}</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt; 在第 {1} 层之后的语料近邻：{2}</translation>
    </message>
    <message>
        <source>Open a corpus index (Model &gt; Find in corpus) to see each use&apos;s neighbours.</source>
        <translation>打开一个语料索引（模型 &gt; 在语料中查找）即可查看每种用法的近邻。</translation>
    </message>
</context>
<context>
    <name>WindowMenus</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a Hugging Face-layout BERT folder (config.json + weights + vocabulary)</source>
        <translation>打开 Hugging Face 格式的 BERT 文件夹（config.json + 权重 + 词表）</translation>
    </message>
    <message>
        <source>Open from the &amp;Hub…</source>
        <translation>从 Hub 打开(&amp;H)…</translation>
    </message>
    <message>
        <source>Download a BERT by its Hugging Face Hub id (e.g. bert-base-uncased) into the cache, then open it</source>
        <translation>按 Hugging Face Hub ID（例如 bert-base-uncased）把一个 BERT 下载到缓存中，然后打开它</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>From the Hugging Face &amp;cache</source>
        <translation>从 Hugging Face 缓存(&amp;C)</translation>
    </message>
    <message>
        <source>BERT checkpoints already downloaded on this machine (no network used)</source>
        <translation>本机已下载的 BERT 检查点（不使用网络）</translation>
    </message>
    <message>
        <source>&amp;Bundled model</source>
        <translation>内置模型(&amp;B)</translation>
    </message>
    <message>
        <source>Open the small BERT that ships with BERT Explorer</source>
        <translation>打开随 BERT Explorer 附带的小型 BERT</translation>
    </message>
    <message>
        <source>Export view as &amp;PNG…</source>
        <translation>将视图导出为 PNG(&amp;P)…</translation>
    </message>
    <message>
        <source>Export view as &amp;SVG…</source>
        <translation>将视图导出为 SVG(&amp;S)…</translation>
    </message>
    <message>
        <source>Export attention as a &amp;web page…</source>
        <translation>将注意力导出为网页(&amp;W)…</translation>
    </message>
    <message>
        <source>The head view and the attention grid as one HTML file that any browser opens offline</source>
        <translation>注意力连线视图和注意力网格合成一个 HTML 文件，任何浏览器都可离线打开</translation>
    </message>
    <message>
        <source>Export inspection &amp;arrays…</source>
        <translation>导出检查数组(&amp;A)…</translation>
    </message>
    <message>
        <source>Save tokens, embeddings, hidden states and attention maps as .npz, with a .json summary</source>
        <translation>将词元、嵌入、隐藏状态和注意力图保存为 .npz，并附带 .json 摘要</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Device</source>
        <translation>设备(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Run again</source>
        <translation>重新运行(&amp;R)</translation>
    </message>
    <message>
        <source>Run the model again on the current text</source>
        <translation>在当前文本上重新运行模型</translation>
    </message>
    <message>
        <source>Switch all &amp;heads on</source>
        <translation>开启所有注意力头(&amp;H)</translation>
    </message>
    <message>
        <source>Explore a &amp;size…</source>
        <translation>探索模型规模(&amp;S)…</translation>
    </message>
    <message>
        <source>BERT-tiny to BERT-large, or a size of your own: shapes, parameters and memory, without any weights</source>
        <translation>从 BERT-tiny 到 BERT-large，或你自定的规模：形状、参数和内存，无需任何权重</translation>
    </message>
    <message>
        <source>&amp;Find in corpus…</source>
        <translation>在语料中查找(&amp;F)…</translation>
    </message>
    <message>
        <source>The corpus sentences whose tokens the model sees as most like a token of yours, at a layer</source>
        <translation>语料中的一些句子：在某一层，模型认为其中的词元与你的某个词元最相似</translation>
    </message>
    <message>
        <source>One &amp;word, two contexts…</source>
        <translation>一个词，两种语境(&amp;W)…</translation>
    </message>
    <message>
        <source>The same word in two sentences: how alike the model sees the two uses after each layer</source>
        <translation>同一个词在两个句子中：每一层之后模型认为这两种用法有多相似</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Dark palette</source>
        <translation>深色配色(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>Show the {0} view</source>
        <translation>显示“{0}”视图</translation>
    </message>
    <message>
        <source>{0} dock</source>
        <translation>“{0}”停靠窗口</translation>
    </message>
    <message>
        <source>Show or hide the {0} dock</source>
        <translation>显示或隐藏“{0}”停靠窗口</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>How to read &amp;this tab</source>
        <translation>如何阅读此标签页(&amp;T)</translation>
    </message>
    <message>
        <source>Show or hide the explanation above the current tab</source>
        <translation>显示或隐藏当前标签页上方的说明</translation>
    </message>
    <message>
        <source>&amp;Tab guide…</source>
        <translation>标签页指南(&amp;T)…</translation>
    </message>
    <message>
        <source>How to read every tab, in one window</source>
        <translation>如何阅读每个标签页，集中在一个窗口</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts…</source>
        <translation>键盘快捷键(&amp;K)…</translation>
    </message>
    <message>
        <source>Every keyboard shortcut of the menus, in one list</source>
        <translation>菜单中的所有键盘快捷键，列在一处</translation>
    </message>
    <message>
        <source>&amp;About BERT Explorer</source>
        <translation>关于 BERT Explorer(&amp;A)</translation>
    </message>
    <message>
        <source>Version, licence and the bundled model</source>
        <translation>版本、许可证和内置模型</translation>
    </message>
    <message>
        <source>Open a BERT model folder</source>
        <translation>打开 BERT 模型文件夹</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>（暂无）</translation>
    </message>
    <message>
        <source>(no BERT checkpoints in the local cache)</source>
        <translation>（本地缓存中没有 BERT 检查点）</translation>
    </message>
    <message>
        <source>Export the {0} view</source>
        <translation>导出 {0} 视图</translation>
    </message>
    <message>
        <source>Export the attention as a web page</source>
        <translation>将注意力导出为网页</translation>
    </message>
    <message>
        <source>Web page (*.html)</source>
        <translation>网页 (*.html)</translation>
    </message>
    <message>
        <source>Export the inspection arrays</source>
        <translation>导出检查数组</translation>
    </message>
    <message>
        <source>NumPy arrays (*.npz)</source>
        <translation>NumPy 数组 (*.npz)</translation>
    </message>
    <message>
        <source>{0} will be used from the next start of BERT Explorer.</source>
        <translation>下次启动 BERT Explorer 时将使用{0}。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>&lt;p&gt;Each tab shows its text above it: &lt;b&gt;Hide&lt;/b&gt; folds it, &lt;b&gt;F1&lt;/b&gt; or &lt;b&gt;? How to read this tab&lt;/b&gt; brings it back.&lt;/p&gt;</source>
        <translation>&lt;p&gt;每个标签页都在上方显示说明：&lt;b&gt;隐藏&lt;/b&gt;将其折叠，&lt;b&gt;F1&lt;/b&gt; 或 &lt;b&gt;? 如何阅读此标签页&lt;/b&gt;可让它重新出现。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Tab guide</source>
        <translation>标签页指南</translation>
    </message>
    <message>
        <source>keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>does</source>
        <translation>作用</translation>
    </message>
    <message>
        <source>menu</source>
        <translation>菜单</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Explore a size</source>
        <translation>探索模型规模</translation>
    </message>
    <message>
        <source>Find in corpus</source>
        <translation>在语料中查找</translation>
    </message>
    <message>
        <source>Why this prediction?</source>
        <translation>为什么是这个预测？</translation>
    </message>
    <message>
        <source>One word, two contexts</source>
        <translation>一个词，两种语境</translation>
    </message>
    <message>
        <source>see the project</source>
        <translation>见项目</translation>
    </message>
    <message>
        <source>(not installed)</source>
        <translation>（未安装）</translation>
    </message>
    <message>
        <source>&lt;br&gt;Open now: {0}</source>
        <translation>&lt;br&gt;现在打开：{0}</translation>
    </message>
    <message>
        <source>About BERT Explorer</source>
        <translation>关于 BERT Explorer</translation>
    </message>
    <message>
        <source>&lt;h3&gt;BERT Explorer {0}&lt;/h3&gt;&lt;p&gt;A desktop app that runs BERT, written from scratch in PyTorch, on your own machine and lets you look inside it: tokens, embeddings, the attention of every head, predictions, fine-tuning.&lt;/p&gt;&lt;p&gt;Bundled model: {1}, a small BERT this project pretrained itself (File &amp;gt; Bundled model).{2}&lt;/p&gt;&lt;p&gt;Licence: {3}. Qt {4}, PySide6, pyqtgraph, PyTorch.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;BERT Explorer {0}&lt;/h3&gt;&lt;p&gt;一个桌面应用：在你自己的电脑上运行用 PyTorch 从零写成的 BERT，并让你看清它的内部：词元、嵌入、每个注意力头的注意力、预测、微调。&lt;/p&gt;&lt;p&gt;内置模型：{1}，本项目自己预训练的一个小型 BERT（文件 &amp;gt; 内置模型）。{2}&lt;/p&gt;&lt;p&gt;许可证：{3}。Qt {4}、PySide6、pyqtgraph、PyTorch。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>WordTagChip</name>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt;: {1} (read at its first piece, {2})&lt;table&gt;{3}&lt;/table&gt;</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;：{1}（在它的第一个片段处读取，{2}）&lt;table&gt;{3}&lt;/table&gt;</translation>
    </message>
</context>
<context>
    <name>WordTagsView</name>
    <message>
        <source>Type a sentence to tag its words.</source>
        <translation>输入一个句子，为它的词打标签。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Chunks:&lt;/b&gt; {0}</source>
        <translation>&lt;b&gt;组块：&lt;/b&gt;{0}</translation>
    </message>
</context>
<context>
    <name>_Strict</name>
    <message>
        <source>{0}: {1} is above the maximum {2}</source>
        <translation>{0}：{1} 超过了最大值 {2}</translation>
    </message>
    <message>
        <source>{0}: {1} is below the minimum {2}</source>
        <translation>{0}：{1} 低于最小值 {2}</translation>
    </message>
    <message>
        <source>{0}, so it stays {1}</source>
        <translation>{0}，所以保持为 {1}</translation>
    </message>
</context>
<context>
    <name>architecture_diagram</name>
    <message>
        <source>Embeddings: token + segment + position, LayerNorm</source>
        <translation>嵌入：词元 + 片段 + 位置，LayerNorm</translation>
    </message>
    <message>
        <source>vocab {0}, {1} positions; {2}</source>
        <translation>词表 {0}，{1} 个位置；{2}</translation>
    </message>
    <message>
        <source>Each token&apos;s input vector: the sum of three learned vectors, rescaled by LayerNorm. Click for the Embeddings step.</source>
        <translation>每个词元的输入向量：三个学到的向量之和，经 LayerNorm 重新缩放。点击查看“嵌入”步骤。</translation>
    </message>
    <message>
        <source>Layer {0}: self-attention, {1} heads + Add &amp; Norm</source>
        <translation>第 {0} 层：自注意力，{1} 个注意力头 + 相加与归一化</translation>
    </message>
    <message>
        <source>{0} x head size {1}; {2} (each of the {3} layers alike)</source>
        <translation>{0} × 注意力头大小 {1}；{2}（{3} 层每层相同）</translation>
    </message>
    <message>
        <source>Layer {0}: every token looks at every token with {1} heads; the result is added to the input and normalised. Click to step through this layer.</source>
        <translation>第 {0} 层：每个词元用 {1} 个注意力头关注每个词元；结果与输入相加并归一化。点击可逐步查看这一层。</translation>
    </message>
    <message>
        <source>Layer {0}: feed-forward {1} -&gt; {2} -&gt; {3} ({4}) + Add &amp; Norm</source>
        <translation>第 {0} 层：前馈 {1} -&gt; {2} -&gt; {3}（{4}）+ 相加与归一化</translation>
    </message>
    <message>
        <source>{0} (x {1} layers: {2} in all)</source>
        <translation>{0}（× {1} 层：共 {2}）</translation>
    </message>
    <message>
        <source>Layer {0}: each token alone goes through two linear maps with {1} between. Click to step through this layer.</source>
        <translation>第 {0} 层：每个词元单独通过两个线性映射，中间是 {1}。点击可逐步查看这一层。</translation>
    </message>
    <message>
        <source>Pooler: the [CLS] vector through a linear map and tanh</source>
        <translation>池化层：[CLS] 向量经过一个线性映射和 tanh</translation>
    </message>
    <message>
        <source>Makes one vector for the whole input from the [CLS] token; the sentence heads read it.</source>
        <translation>从 [CLS] 词元为整个输入生成一个向量；句子级的输出头读取它。</translation>
    </message>
    <message>
        <source>masked-LM head</source>
        <translation>掩码语言模型头</translation>
    </message>
    <message>
        <source>next-sentence head</source>
        <translation>下一句预测头</translation>
    </message>
    <message>
        <source>classifier head</source>
        <translation>分类头</translation>
    </message>
    <message>
        <source>Heads: </source>
        <translation>注意力头：</translation>
    </message>
    <message>
        <source>none (encoder only)</source>
        <translation>无（仅编码器）</translation>
    </message>
    <message>
        <source>no task head</source>
        <translation>无任务输出头</translation>
    </message>
    <message>
        <source>What the model can answer: the masked-LM head scores every vocabulary token at each position; the next-sentence head reads the pooled [CLS]; a classifier head is added by fine-tuning.</source>
        <translation>模型能回答什么：掩码语言模型头在每个位置为词表中的每个词元打分；下一句预测头读取池化后的 [CLS]；分类头由微调添加。</translation>
    </message>
    <message>
        <source>(T={0}, {1})   attention maps: ({2} heads, {3}, {4})</source>
        <translation>(T={0}, {1})   注意力图：({2} 个注意力头, {3}, {4})</translation>
    </message>
    <message>
        <source>({0},) pooled [CLS]</source>
        <translation>({0},) 池化后的 [CLS]</translation>
    </message>
</context>
<context>
    <name>attention_change_view</name>
    <message>
        <source>Finish a run to see how fine-tuning changed each head&apos;s attention.</source>
        <translation>完成一次运行后，可查看微调如何改变了每个注意力头的注意力。</translation>
    </message>
</context>
<context>
    <name>attention_view</name>
    <message>
        <source>Mean of heads</source>
        <translation>注意力头的平均值</translation>
    </message>
    <message>
        <source>Max of heads</source>
        <translation>注意力头的最大值</translation>
    </message>
    <message>
        <source>entropy</source>
        <translation>熵</translation>
    </message>
    <message>
        <source>to [CLS]</source>
        <translation>到 [CLS]</translation>
    </message>
    <message>
        <source>to [SEP]</source>
        <translation>到 [SEP]</translation>
    </message>
    <message>
        <source>to previous</source>
        <translation>到前一个</translation>
    </message>
    <message>
        <source>to next</source>
        <translation>到后一个</translation>
    </message>
    <message>
        <source>All heads (rollout)</source>
        <translation>所有注意力头（rollout）</translation>
    </message>
    <message>
        <source>Right-click a cell to see how its weight is computed (the neuron view of the Computation tab).</source>
        <translation>右键点击单元格，查看它的权重如何计算（“计算过程”标签页的神经元视图）。</translation>
    </message>
    <message>
        <source>Rollout to layer {0}: how much each token&apos;s representation after layer {1} draws on each input token, following attention through {2} with the residual connection (Abnar &amp; Zuidema 2020).</source>
        <translation>到第 {0} 层的 rollout：第 {1} 层之后每个词元的表示在多大程度上取自每个输入词元，沿着{2}追踪注意力并计入残差连接（Abnar 与 Zuidema，2020）。</translation>
    </message>
    <message>
        <source>{0} of layer {1}: {2}.</source>
        <translation>第 {1} 层的{0}：{2}。</translation>
    </message>
    <message>
        <source>Frame colour = “{0}”: {1}; darker = higher. Highest: {2}.</source>
        <translation>边框颜色 = “{0}”：{1}；越深 = 越高。最高：{2}。</translation>
    </message>
</context>
<context>
    <name>attribution_panel</name>
    <message>
        <source>Attention is not explanation: a head can look at a token that does not change the answer. Here each input token gets a score for how much the prediction depends on it: integrated gradients move every token&apos;s vector from a neutral one ([PAD], or zeros) to the real one in small steps and add up how the predicted word&apos;s score changes on the way (red: the token raises it, blue: lowers it). Beside it, the attention rollout to the same position. Where they disagree, the attention map alone would have misled you.</source>
        <translation>注意力不等于解释：一个注意力头可能关注一个并不改变答案的词元。这里每个输入词元都会得到一个分数，表示预测在多大程度上依赖它：积分梯度把每个词元的向量从中性向量（[PAD] 或零向量）分小步移到真实向量，并把预测词的分数沿途的变化加起来（红色：该词元使分数升高，蓝色：使其降低）。旁边是到同一位置的注意力 rollout。两者不一致的地方，只看注意力图就会误导你。</translation>
    </message>
</context>
<context>
    <name>caption</name>
    <message>
        <source>? How to read this tab</source>
        <translation>? 如何阅读此标签页</translation>
    </message>
</context>
<context>
    <name>computation_view</name>
    <message>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>Embeddings</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <source>One layer, step by step</source>
        <translation>逐步查看一层</translation>
    </message>
    <message>
        <source>Neuron view</source>
        <translation>神经元视图</translation>
    </message>
    <message>
        <source>The loaded model as boxes, read top to bottom: the embeddings turn each token into a vector, each encoder layer lets every token look at the others (self-attention) and then transforms each token on its own (feed-forward), and the heads at the bottom answer. The blue text on each arrow is the shape of the numbers passing there for your sentence (T = its number of tokens). Click a layer to step through it, or hover a box for what it does.</source>
        <translation>已加载的模型画成方框，从上往下读：嵌入把每个词元变成一个向量，每个编码器层让每个词元关注其他词元（自注意力），然后单独变换每个词元（前馈），底部的输出头给出回答。每个箭头上的蓝色文字是你的句子经过那里时数字的形状（T = 词元个数）。点击一个层可逐步查看它，或将鼠标悬停在方框上查看其作用。</translation>
    </message>
    <message>
        <source>Before any layer, each token becomes one vector: the sum of its token&apos;s, its sentence&apos;s (segment) and its position&apos;s learned vectors, rescaled by LayerNorm. Pick a token above: each row is one of those vectors (one column per hidden dimension), and the norms say how large each part is. Below, the fixed sine-wave positions of the original Transformer beside the ones this BERT learned.</source>
        <translation>在进入任何一层之前，每个词元都变成一个向量：它的词元向量、所在句子（片段）向量和位置向量这三个学到的向量之和，再经 LayerNorm 重新缩放。在上方选择一个词元：每一行是其中一个向量（每个隐藏维度一列），范数表示每部分有多大。下方是原始 Transformer 的固定正弦位置编码，旁边是这个 BERT 学到的位置嵌入。</translation>
    </message>
    <message>
        <source>One encoder layer, step by step, with the numbers the model really used for your sentence: the queries, keys and values of each head, their scores, the softmax, the mixed values, the residual additions and LayerNorms, and the feed-forward network. Pick the layer, head and query token above.</source>
        <translation>逐步查看一个编码器层，使用模型在你的句子上实际用到的数字：每个注意力头的查询、键和值，它们的分数，softmax，混合后的值，残差相加与 LayerNorm，以及前馈网络。在上方选择层、注意力头和查询词元。</translation>
    </message>
    <message>
        <source>How one head decides where a token looks: the query vector of the chosen token is multiplied, dimension by dimension, with every token&apos;s key; the products sum to a score, and softmax turns the scores into the attention weights. Pick the layer, head and query token above.</source>
        <translation>一个注意力头如何决定一个词元关注哪里：所选词元的查询向量与每个词元的键逐维相乘；乘积之和就是分数，softmax 把分数变成注意力权重。在上方选择层、注意力头和查询词元。</translation>
    </message>
</context>
<context>
    <name>controller</name>
    <message>
        <source>the GPU ran out of memory: use a smaller batch size or a shorter maximum length</source>
        <translation>GPU 内存不足：请使用更小的批大小或更短的最大长度</translation>
    </message>
</context>
<context>
    <name>corpus_search</name>
    <message>
        <source>Which words of a corpus does the model see as most like your token? Each token of the corpus was run through the model and its vector after each indexed layer kept; the closest vectors (cosine similarity, 1 = the same direction) are listed with their sentences, the matched token in bold (only its part when WordPiece split the word). At the embeddings (layer 0) the neighbours are the same word; in later layers they are words playing a similar role in their sentence, which is what a layer has learned to encode.</source>
        <translation>语料中的哪些词被模型认为最像你的词元？语料中的每个词元都经过模型处理，并保留了它在每个被索引层之后的向量；最接近的向量（余弦相似度，1 = 方向相同）连同它们的句子一起列出，匹配的词元加粗显示（WordPiece 切分了该词时只加粗相应片段）。在嵌入层（第 0 层），近邻是同一个词；在较后的层，近邻是在句中扮演相似角色的词，这正是一层学会编码的内容。</translation>
    </message>
</context>
<context>
    <name>dataset_panel</name>
    <message>
        <source>train.csv (see tooltip for columns)</source>
        <translation>train.csv（列的说明见提示）</translation>
    </message>
    <message>
        <source>&lt;p&gt;The labelled rows to train on: a CSV, TSV or JSONL file with a header.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Single sentences:&lt;/b&gt; columns &lt;tt&gt;text,label&lt;/tt&gt;, e.g.&lt;br&gt;&lt;tt&gt;The film was great.,positive&lt;/tt&gt;&lt;/p&gt;&lt;p&gt;&lt;b&gt;Sentence pairs:&lt;/b&gt; columns &lt;tt&gt;text_a,text_b,label&lt;/tt&gt;.&lt;/p&gt;&lt;p&gt;Other column names work too: choose them below once the file is read.&lt;/p&gt;</source>
        <translation>&lt;p&gt;用于训练的已标注行：带表头的 CSV、TSV 或 JSONL 文件。&lt;/p&gt;&lt;p&gt;&lt;b&gt;单句：&lt;/b&gt;列为 &lt;tt&gt;text,label&lt;/tt&gt;，例如&lt;br&gt;&lt;tt&gt;The film was great.,positive&lt;/tt&gt;&lt;/p&gt;&lt;p&gt;&lt;b&gt;句对：&lt;/b&gt;列为 &lt;tt&gt;text_a,text_b,label&lt;/tt&gt;。&lt;/p&gt;&lt;p&gt;其他列名也可以：读取文件后在下方选择。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>train.txt (a word and its tag a line; see tooltip)</source>
        <translation>train.txt（每行一个词及其标签；见提示）</translation>
    </message>
    <message>
        <source>&lt;p&gt;Tagged sentences to train a tagger on (chunks, named entities, parts of speech):&lt;/p&gt;&lt;p&gt;&lt;b&gt;CoNLL-style text:&lt;/b&gt; one word a line with its tag in a later column, separated by spaces or a tab, and a blank line between sentences, e.g.&lt;br&gt;&lt;tt&gt;Confidence NN B-NP&lt;br&gt;in IN B-PP&lt;/tt&gt;&lt;br&gt;&lt;tt&gt;-DOCSTART-&lt;/tt&gt; lines are skipped; choose the tag column below (by default the last).&lt;/p&gt;&lt;p&gt;&lt;b&gt;JSONL:&lt;/b&gt; one sentence a line, &lt;tt&gt;{&quot;tokens&quot;: [&quot;The&quot;, &quot;cat&quot;], &quot;tags&quot;: [&quot;B-NP&quot;, &quot;I-NP&quot;]}&lt;/tt&gt;.&lt;/p&gt;&lt;p&gt;BIO tags (B-NP, I-NP, O) are scored by chunk, as conlleval does; any other tags word by word.&lt;/p&gt;</source>
        <translation>&lt;p&gt;用于训练标注器的已标注句子（组块、命名实体、词性）：&lt;/p&gt;&lt;p&gt;&lt;b&gt;CoNLL 格式文本：&lt;/b&gt;每行一个词，它的标签在后面的某一列，用空格或制表符分隔，句子之间空一行，例如&lt;br&gt;&lt;tt&gt;Confidence NN B-NP&lt;br&gt;in IN B-PP&lt;/tt&gt;&lt;br&gt;&lt;tt&gt;-DOCSTART-&lt;/tt&gt; 行会被跳过；在下方选择标签所在的列（默认最后一列）。&lt;/p&gt;&lt;p&gt;&lt;b&gt;JSONL：&lt;/b&gt;每行一个句子，&lt;tt&gt;{&quot;tokens&quot;: [&quot;The&quot;, &quot;cat&quot;], &quot;tags&quot;: [&quot;B-NP&quot;, &quot;I-NP&quot;]}&lt;/tt&gt;。&lt;/p&gt;&lt;p&gt;BIO 标签（B-NP、I-NP、O）按组块打分，与 conlleval 相同；其他标签逐词打分。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Choose a training file to see its first rows and label counts.</source>
        <translation>选择一个训练文件，查看它的前几行和标签计数。</translation>
    </message>
    <message>
        <source>Choose a tagged training file to see its first sentences and tag counts.</source>
        <translation>选择一个已标注的训练文件，查看它的前几个句子和标签计数。</translation>
    </message>
    <message>
        <source>&lt;p&gt;Plain text to continue pretraining on: one sentence per line, documents separated by a blank line. The model keeps its vocabulary and learns from masked words and sentence pairs.&lt;/p&gt;</source>
        <translation>&lt;p&gt;用于继续预训练的纯文本：每行一个句子，文档之间用空行分隔。模型保留它的词表，并从掩码词和句对中学习。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>… and {0:,} more</source>
        <translation>… 以及另外 {0:,} 个</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Choose a dataset</source>
        <translation>选择数据集</translation>
    </message>
    <message>
        <source>Datasets and text (*.csv *.tsv *.jsonl *.json *.txt);;All files (*)</source>
        <translation>数据集和文本 (*.csv *.tsv *.jsonl *.json *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose or create an empty folder for the model</source>
        <translation>为模型选择或新建一个空文件夹</translation>
    </message>
</context>
<context>
    <name>embeddings_view</name>
    <message>
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>+ segment</source>
        <translation>+ 片段</translation>
    </message>
    <message>
        <source>+ position</source>
        <translation>+ 位置</translation>
    </message>
    <message>
        <source>→ LayerNorm</source>
        <translation>→ LayerNorm</translation>
    </message>
    <message>
        <source>NaN blank, Inf at the ends of the scale</source>
        <translation>NaN 留空，Inf 位于刻度两端</translation>
    </message>
    <message>
        <source>Position similarity</source>
        <translation>位置相似度</translation>
    </message>
    <message>
        <source>Colours: blue below 0, white 0, red above 0. The token, segment and position maps share one scale, LayerNorm&apos;s output has its own; each scale ends where 99% of its values lie, so typical values show and the few larger ones get the end colour.</source>
        <translation>颜色：小于 0 为蓝色，0 为白色，大于 0 为红色。词元、片段和位置三张图共用一个刻度，LayerNorm 的输出有自己的刻度；每个刻度的端点取在 99% 的值所在处，这样典型的值清晰可见，少数更大的值显示为端点颜色。</translation>
    </message>
</context>
<context>
    <name>fill_mask_view</name>
    <message>
        <source>No [MASK] in the text — type [MASK] or double-click a word in the Tokens tab.</source>
        <translation>文本中没有 [MASK] —— 输入 [MASK]，或在“词元”标签页中双击一个词。</translation>
    </message>
    <message>
        <source>This model has no MLM head, so it cannot fill masks.</source>
        <translation>这个模型没有掩码语言模型头，所以不能填充掩码。</translation>
    </message>
    <message>
        <source> Its probabilities are not numbers (NaN): the model&apos;s weights hold NaN or Inf values, so the tokens listed mean nothing.</source>
        <translation> 它的概率不是数字（NaN）：模型的权重中含有 NaN 或 Inf 值，所以列出的词元没有意义。</translation>
    </message>
    <message>
        <source>word</source>
        <translation>词</translation>
    </message>
    <message>
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>rank</source>
        <translation>排名</translation>
    </message>
    <message>
        <source>&lt;b&gt;Every position, as seen (no masking)&lt;/b&gt;: the probability the model gives each actual token while it can see that token. It mostly copies what it sees, so nearly every score is close to 1: for how predictable a word is from its context, choose “masked one at a time”. Grey: [CLS], [SEP] and [MASK], not scored. Hover a token for the model&apos;s own guesses there.</source>
        <translation>&lt;b&gt;每个位置，按原样（不掩码）&lt;/b&gt;：模型在能看到该词元时给实际词元的概率。它大多只是照抄看到的内容，所以几乎每个分数都接近 1：想知道一个词能否从上下文中预测出来，请选择“逐个掩码”。灰色：[CLS]、[SEP] 和 [MASK]，不打分。将鼠标悬停在词元上可查看模型在该处自己的猜测。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Every position, masked one at a time&lt;/b&gt;: each token hidden behind [MASK] in a copy of the text of its own, and the probability the model gives it back from the rest (pseudo-likelihood, Salazar et al. 2020). Red: hard to guess from its context; green: easy. Grey: [CLS], [SEP] and [MASK], not scored. Hover a token for the model&apos;s guesses when it was hidden.</source>
        <translation>&lt;b&gt;每个位置，逐个掩码&lt;/b&gt;：在文本的一份副本中把每个词元藏在 [MASK] 后面，看模型从其余部分把它猜回来的概率（伪似然，Salazar 等，2020）。红色：难以从上下文猜出；绿色：容易。灰色：[CLS]、[SEP] 和 [MASK]，不打分。将鼠标悬停在词元上可查看它被隐藏时模型的猜测。</translation>
    </message>
    <message>
        <source>{0} (position {1})</source>
        <translation>{0}（位置 {1}）</translation>
    </message>
    <message>
        <source>“{0}” is not one token but {1} word pieces ({2}). One [MASK] holds one piece, so each piece is scored at the [MASK]; to let the model guess the whole word, write {3} [MASK]s in a row.</source>
        <translation>“{0}”不是一个词元，而是 {1} 个词片段（{2}）。一个 [MASK] 只容纳一个片段，所以每个片段都在 [MASK] 处打分；要让模型猜出整个词，请连续写 {3} 个 [MASK]。</translation>
    </message>
    <message>
        <source>“{0}” is not in the model&apos;s vocabulary: it reads as [UNK].</source>
        <translation>“{0}”不在模型的词表中：它会被读作 [UNK]。</translation>
    </message>
    <message>
        <source>Pseudo-log-likelihood {0:.2f} over {1} token{2} ({3:.2f} per token; closer to 0 = more predictable)</source>
        <translation>伪对数似然 {0:.2f}，共 {1} 个词元（每个词元 {3:.2f}；越接近 0 越可预测）</translation>
    </message>
    <message>
        <source>, with {0} off</source>
        <translation>，关闭了 {0}</translation>
    </message>
    <message>
        <source>1 mask: the model&apos;s most probable tokens.</source>
        <translation>1 个掩码：模型认为最可能的词元。</translation>
    </message>
    <message>
        <source>{0} masks: choose one in the list to see the model&apos;s most probable tokens for it.</source>
        <translation>{0} 个掩码：在列表中选择一个，查看模型对它最可能的词元。</translation>
    </message>
    <message>
        <source> Write [MASK] in capitals: “{0}” is read as ordinary text.</source>
        <translation> 请用大写字母写 [MASK]：“{0}”会被当作普通文本。</translation>
    </message>
    <message>
        <source>#{0}: P({1}) = {2}</source>
        <translation>#{0}：P({1}) = {2}</translation>
    </message>
    <message>
        <source> with it masked</source>
        <translation>（将其掩码时）</translation>
    </message>
    <message>
        <source> as seen</source>
        <translation>（按原样）</translation>
    </message>
    <message>
        <source>{0}
the model&apos;s top guesses here{1}: {2}</source>
        <translation>{0}
模型在这里的首选猜测{1}：{2}</translation>
    </message>
</context>
<context>
    <name>finite</name>
    <message>
        <source>{0} ({1})</source>
        <translation>{0}（{1}）</translation>
    </message>
</context>
<context>
    <name>head_lines_columns</name>
    <message>
        <source>attends from (query)</source>
        <translation>发出关注（查询）</translation>
    </message>
    <message>
        <source>attends to (key)</source>
        <translation>被关注（键）</translation>
    </message>
    <message>
        <source>click one: where it looks</source>
        <translation>点击一个：看它关注哪里</translation>
    </message>
    <message>
        <source>click one: who looks at it</source>
        <translation>点击一个：看谁关注它</translation>
    </message>
    <message>
        <source>line strength = attention weight</source>
        <translation>连线强度 = 注意力权重</translation>
    </message>
</context>
<context>
    <name>head_lines_view</name>
    <message>
        <source> More rows than fit: the wheel scrolls them, Ctrl+wheel zooms out to see them all.</source>
        <translation> 行数多于能显示的：滚轮滚动它们，Ctrl+滚轮缩小以看到全部。</translation>
    </message>
    <message>
        <source> Zoomed out: only some tokens are labelled; Reset zoom (or Ctrl+wheel) labels them all.</source>
        <translation> 已缩小：只有部分词元带标签；“重置缩放”（或 Ctrl+滚轮）会标出全部。</translation>
    </message>
</context>
<context>
    <name>hidden_states_view</name>
    <message>
        <source>NaN or Inf values in these vectors: no PCA to draw (the model&apos;s weights hold some)</source>
        <translation>这些向量中有 NaN 或 Inf 值：无法绘制 PCA（模型的权重中含有这些值）</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>无</translation>
    </message>
    <message>
        <source>embeddings</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <source>after L{0}</source>
        <translation>L{0} 之后</translation>
    </message>
</context>
<context>
    <name>hub_dialog</name>
    <message>
        <source>about {0:,.0f} s left</source>
        <translation>剩余约 {0:,.0f} 秒</translation>
    </message>
    <message>
        <source>about {0:,.0f} min left</source>
        <translation>剩余约 {0:,.0f} 分钟</translation>
    </message>
</context>
<context>
    <name>layer_steps</name>
    <message>
        <source>top 32</source>
        <translation>前 32 个</translation>
    </message>
    <message>
        <source>top 64</source>
        <translation>前 64 个</translation>
    </message>
    <message>
        <source>top 128</source>
        <translation>前 128 个</translation>
    </message>
    <message>
        <source>all, in order</source>
        <translation>全部，按顺序</translation>
    </message>
    <message>
        <source>This layer trace is incomplete: no (heads, tokens, head size) queries.</source>
        <translation>这个层追踪不完整：没有（注意力头，词元，注意力头大小）形状的查询。</translation>
    </message>
    <message>
        <source>This layer trace does not fit together: {0} is {1}, expected {2}.</source>
        <translation>这个层追踪的数据不一致：{0} 是 {1}，应为 {2}。</translation>
    </message>
    <message>
        <source>This layer trace has {0} token names for {1} rows.</source>
        <translation>这个层追踪有 {0} 个词元名称，却有 {1} 行。</translation>
    </message>
    <message>
        <source>The layer&apos;s input</source>
        <translation>该层的输入</translation>
    </message>
    <message>
        <source>Each row is one token&apos;s vector as it enters this layer (for layer 0: the embeddings), one column per hidden dimension, blue below 0 and red above. The framed row is the chosen token.</source>
        <translation>每一行是一个词元进入这一层时的向量（第 0 层：嵌入），每个隐藏维度一列，小于 0 为蓝色，大于 0 为红色。带框的行是所选词元。</translation>
    </message>
    <message>
        <source>Queries, keys and values of one head</source>
        <translation>一个注意力头的查询、键和值</translation>
    </message>
    <message>
        <source>Three learned matrices turn every token&apos;s vector into a query (what it looks for), a key (what it offers to be found by) and a value (what it passes on). Each head gets its own slice of d columns; these are the chosen head&apos;s. The framed query row is the chosen token&apos;s.</source>
        <translation>三个学到的矩阵把每个词元的向量变成查询（它要找什么）、键（它提供什么以便被找到）和值（它传递什么）。每个注意力头分到自己的 d 列；这里显示的是所选注意力头的。带框的查询行属于所选词元。</translation>
    </message>
    <message>
        <source>Scores: how well the query matches each key</source>
        <translation>分数：查询与每个键的匹配程度</translation>
    </message>
    <message>
        <source>The chosen token&apos;s query is multiplied with every key, dimension by dimension, and summed (a dot product), then divided by the square root of the head size so that the numbers stay moderate. A high score means this key fits what the query looks for. The Neuron view panel shows the products.</source>
        <translation>所选词元的查询与每个键逐维相乘再求和（点积），然后除以注意力头大小的平方根，使数值保持适中。分数高表示这个键符合查询要找的内容。“神经元视图”面板显示这些乘积。</translation>
    </message>
    <message>
        <source>The mask</source>
        <translation>掩码</translation>
    </message>
    <message>
        <source>Before softmax, a bias is added to every score. Real tokens get 0. When sentences of different lengths are run together in a batch, the short ones are filled up with padding; padding gets a large negative bias, so that after softmax its weight is practically 0 and no token attends to it.</source>
        <translation>在 softmax 之前，每个分数都会加上一个偏置。真实词元得到 0。当长度不同的句子在一个批次中一起运行时，短句会用填充补齐；填充得到一个很大的负偏置，这样 softmax 之后它的权重几乎为 0，没有词元会关注它。</translation>
    </message>
    <message>
        <source>Softmax: the attention weights</source>
        <translation>Softmax：注意力权重</translation>
    </message>
    <message>
        <source>Softmax turns the scores into weights between 0 and 1 that sum to 1: exp(score) of each key divided by the sum over all keys. A score only a little higher than the others can take most of the weight. These are the numbers the Attention tab draws.</source>
        <translation>Softmax 把分数变成 0 到 1 之间、总和为 1 的权重：每个键的 exp(分数) 除以所有键的总和。一个只比其他分数高一点的分数也可能拿走大部分权重。这些就是“注意力”标签页所画的数字。</translation>
    </message>
    <message>
        <source>Weighted sum of the values</source>
        <translation>值的加权和</translation>
    </message>
    <message>
        <source>The head&apos;s output for the chosen token is the weighted average of all value vectors, each weighted by the attention it got: the token receives mostly what the tokens it attends to pass on.</source>
        <translation>该注意力头对所选词元的输出是所有值向量的加权平均，每个值向量的权重就是它得到的注意力：词元主要接收它所关注的词元传来的内容。</translation>
    </message>
    <message>
        <source>Heads side by side, then the output projection</source>
        <translation>注意力头并排放置，然后是输出投影</translation>
    </message>
    <message>
        <source>Every head did the same with its own queries, keys and values; their outputs are put side by side (the framed block is the chosen head&apos;s), and one more learned matrix mixes them back into a vector of the hidden size: the attention&apos;s contribution to each token.</source>
        <translation>每个注意力头都用自己的查询、键和值做了同样的事；它们的输出并排放在一起（带框的块是所选注意力头的），再由另一个学到的矩阵混合回隐藏层大小的向量：这就是注意力对每个词元的贡献。</translation>
    </message>
    <message>
        <source>Add &amp; Norm</source>
        <translation>相加与归一化</translation>
    </message>
    <message>
        <source>The attention&apos;s output is added to the layer&apos;s input (the residual connection: the token keeps what it had and gains what attention brought), then LayerNorm rescales each token&apos;s vector to mean 0 and a fixed spread (times learned gains, plus learned offsets). Shown: the chosen token before and after, on one scale.</source>
        <translation>注意力的输出与该层的输入相加（残差连接：词元保留原有的内容，并获得注意力带来的内容），然后 LayerNorm 把每个词元的向量重新缩放为均值 0、固定的离散度（再乘以学到的增益，加上学到的偏移）。显示：所选词元在此前后的值，使用同一刻度。</translation>
    </message>
    <message>
        <source>Feed-forward: which neurons fire</source>
        <translation>前馈：哪些神经元被激活</translation>
    </message>
    <message>
        <source>Each token now goes on its own through a two-layer network: a first matrix widens its vector to {0} neurons and GELU keeps the positive part (small negatives pass as nearly 0). Each column is one neuron, each row a token. With many neurons only the chosen token&apos;s most active ones are shown, largest first.</source>
        <translation>每个词元现在各自通过一个两层网络：第一个矩阵把它的向量扩展到 {0} 个神经元，GELU 保留正的部分（小的负值近似为 0 通过）。每一列是一个神经元，每一行是一个词元。神经元很多时，只显示所选词元最活跃的那些，从大到小排列。</translation>
    </message>
    <message>
        <source>Feed-forward output</source>
        <translation>前馈输出</translation>
    </message>
    <message>
        <source>A second matrix brings the neurons back to the hidden size: this is what the feed-forward network adds to each token.</source>
        <translation>第二个矩阵把神经元变回隐藏层大小：这就是前馈网络给每个词元加上的内容。</translation>
    </message>
    <message>
        <source>Add &amp; Norm again</source>
        <translation>再次相加与归一化</translation>
    </message>
    <message>
        <source>The feed-forward output is added to its input (the residual connection again) and LayerNorm rescales the sum. Shown: the chosen token before and after, on one scale.</source>
        <translation>前馈输出与它的输入相加（又是残差连接），LayerNorm 重新缩放这个和。显示：所选词元在此前后的值，使用同一刻度。</translation>
    </message>
    <message>
        <source>The layer&apos;s output</source>
        <translation>该层的输出</translation>
    </message>
    <message>
        <source>The result: one vector per token, the same shape as the input, passed on to the next layer (or, after the last layer, to the heads that predict masked words or classify).</source>
        <translation>结果：每个词元一个向量，形状与输入相同，传给下一层（或者在最后一层之后，传给预测掩码词或进行分类的输出头）。</translation>
    </message>
</context>
<context>
    <name>main_window</name>
    <message>
        <source>{0}: {1} layers × {2} heads, hidden {3}, {4:.1f}M parameters on {5} ({6})</source>
        <translation>{0}：{1} 层 × {2} 个注意力头，隐藏层 {3}，{4:.1f}M 个参数，运行于 {5}（{6}）</translation>
    </message>
</context>
<context>
    <name>model</name>
    <message>
        <source>word mode: attention to a word = the sum over its pieces; attention from a word = the mean over its pieces, so each row still sums to 1 (Clark et al. 2019)</source>
        <translation>词模式：到一个词的注意力 = 其各片段之和；从一个词出发的注意力 = 其各片段的平均，因此每行之和仍为 1（Clark 等，2019）</translation>
    </message>
    <message>
        <source>how spread out each row is (nats; 0 = all weight on one token), averaged over the rows</source>
        <translation>每行的分散程度（单位 nats；0 = 全部权重集中在一个词元上），对各行取平均</translation>
    </message>
    <message>
        <source>the share of attention given to [CLS], averaged over the rows</source>
        <translation>给予 [CLS] 的注意力比例，对各行取平均</translation>
    </message>
    <message>
        <source>the share of attention given to the [SEP] tokens, averaged over the rows</source>
        <translation>给予 [SEP] 词元的注意力比例，对各行取平均</translation>
    </message>
    <message>
        <source>the weight on the token just before, averaged over the rows</source>
        <translation>给紧挨在前的词元的权重，对各行取平均</translation>
    </message>
    <message>
        <source>the weight on the token just after, averaged over the rows</source>
        <translation>给紧随其后的词元的权重，对各行取平均</translation>
    </message>
    <message>
        <source>the weight each token gives itself, averaged over the rows</source>
        <translation>每个词元给自己的权重，对各行取平均</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>macro-F1</source>
        <translation>宏平均 F1</translation>
    </message>
    <message>
        <source>word accuracy</source>
        <translation>词准确率</translation>
    </message>
    <message>
        <source>chunk F1</source>
        <translation>组块 F1</translation>
    </message>
    <message>
        <source>the mean over the chosen heads: each row still sums to 1</source>
        <translation>所选注意力头的平均值：各行之和仍为 1</translation>
    </message>
    <message>
        <source>each cell&apos;s largest weight over the chosen heads: shows where any head looks; rows no longer sum to 1</source>
        <translation>每个单元格在所选注意力头中的最大权重：显示任一注意力头关注的位置；各行之和不再为 1</translation>
    </message>
</context>
<context>
    <name>model_view</name>
    <message>
        <source>&lt;b&gt;How good is it?&lt;/b&gt; Not measured: this folder has no evaluation.json. &lt;tt&gt;python -m model evaluate-mlm FILE --model FOLDER&lt;/tt&gt; measures its masked-token accuracy on your own text.</source>
        <translation>&lt;b&gt;它有多好？&lt;/b&gt;未测量：此文件夹没有 evaluation.json。&lt;tt&gt;python -m model evaluate-mlm FILE --model FOLDER&lt;/tt&gt; 可在你自己的文本上测量它的掩码词元准确率。</translation>
    </message>
    <message>
        <source>about 1/{0:,} of</source>
        <translation>约为其 1/{0:,}</translation>
    </message>
    <message>
        <source>{0:.0%} of</source>
        <translation>是其 {0:.0%}</translation>
    </message>
    <message>
        <source>about as many as</source>
        <translation>大致相当于</translation>
    </message>
    <message>
        <source>{0:.1f} times</source>
        <translation>是其 {0:.1f} 倍</translation>
    </message>
    <message>
        <source>{0:,.1f} M parameters: {1} BERT-base&apos;s {2:.1f} M (its encoder and pooler, the “110M” usually quoted; with the masked-LM and next-sentence heads BERT-base has {3:.1f} M). Model &gt; Explore a size… shows BERT-tiny to BERT-large.</source>
        <translation>{0:,.1f} M 个参数：{1} BERT-base 的 {2:.1f} M（它的编码器和池化层，即通常所说的“110M”；加上掩码语言模型头和下一句预测头，BERT-base 有 {3:.1f} M）。模型 &gt; 探索模型规模… 展示从 BERT-tiny 到 BERT-large。</translation>
    </message>
    <message>
        <source>&lt;b&gt;How good is it?&lt;/b&gt; Measured on text it never saw in training:</source>
        <translation>&lt;b&gt;它有多好？&lt;/b&gt;在训练中从未见过的文本上测得：</translation>
    </message>
    <message>
        <source>• Held-out masked-token accuracy: &lt;b&gt;{0:.3f}&lt;/b&gt; (its first guess is the hidden word {1:.0%} of the time)</source>
        <translation>• 留出掩码词元准确率：&lt;b&gt;{0:.3f}&lt;/b&gt;（它的首选猜测有 {1:.0%} 的时间正是被隐藏的词）</translation>
    </message>
    <message>
        <source>• Held-out next-sentence accuracy: &lt;b&gt;{0:.3f}&lt;/b&gt; (IsNext or NotNext right {1:.0%} of the time; guessing gets about 50%)</source>
        <translation>• 留出下一句预测准确率：&lt;b&gt;{0:.3f}&lt;/b&gt;（有 {1:.0%} 的时间答对 IsNext 或 NotNext；瞎猜约为 50%）</translation>
    </message>
    <message>
        <source>Measured on {0}.</source>
        <translation>测量于 {0}。</translation>
    </message>
</context>
<context>
    <name>monitor</name>
    <message>
        <source>training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>eval loss</source>
        <translation>评估损失</translation>
    </message>
    <message>
        <source>Choose training data (or the sample dataset) and press Start.</source>
        <translation>选择训练数据（或示例数据集），然后按“开始”。</translation>
    </message>
</context>
<context>
    <name>neuron_view</name>
    <message>
        <source>Each row is one key token: its key vector, then the query times the key dimension by dimension (red: this dimension raises the score, blue: it lowers it, white: it hardly matters), their sum times 1/√d, which is the score, and the attention weight softmax turns the scores into. Point at a cell for its numbers.</source>
        <translation>每一行是一个键词元：它的键向量，然后是查询与键逐维相乘（红色：这一维使分数升高，蓝色：使其降低，白色：几乎无影响），它们的和乘以 1/√d 即为分数，最后是 softmax 由分数得到的注意力权重。将鼠标指向单元格可查看其数值。</translation>
    </message>
</context>
<context>
    <name>nsp_view</name>
    <message>
        <source>&lt;b&gt;Which class is this text?&lt;/b&gt; This model was fine-tuned to sort texts into classes: its classifier reads the [CLS] vector and gives each class a probability.</source>
        <translation>&lt;b&gt;这段文本属于哪一类？&lt;/b&gt;这个模型经过微调，用于把文本分成若干类：它的分类器读取 [CLS] 向量，并给每一类一个概率。</translation>
    </message>
    <message>
        <source>&lt;b&gt;IsNext&lt;/b&gt;: the model thinks sentence B follows sentence A in a real text. &lt;b&gt;NotNext&lt;/b&gt;: it thinks B was taken from another document. BERT learned this in pretraining from 50/50 pairs, so a guess scores about half right.</source>
        <translation>&lt;b&gt;IsNext&lt;/b&gt;：模型认为在真实文本中句子 B 紧跟在句子 A 之后。&lt;b&gt;NotNext&lt;/b&gt;：它认为 B 取自另一篇文档。BERT 在预训练中从一半对一半的句对里学会了这一点，所以随便猜大约能对一半。</translation>
    </message>
    <message>
        <source>Type a sentence B in the second box above to ask whether it follows sentence A, or try one of these pairs and compare the answers.</source>
        <translation>在上面第二个框中输入一个句子 B，询问它是否紧跟在句子 A 之后，或者试试下面的句对并比较答案。</translation>
    </message>
    <message>
        <source>Try a pair where B follows A</source>
        <translation>试一个 B 紧跟 A 的句对</translation>
    </message>
    <message>
        <source>Try a pair where B comes from elsewhere</source>
        <translation>试一个 B 来自别处的句对</translation>
    </message>
</context>
<context>
    <name>results</name>
    <message>
        <source>Finish a run to read here what its accuracy can tell, and what to change.</source>
        <translation>完成一次运行后，可在这里读到它的准确率说明了什么，以及该改些什么。</translation>
    </message>
</context>
<context>
    <name>sample_data</name>
    <message>
        <source>sentiment: 240 review sentences to train on, 60 to evaluate, positive or negative</source>
        <translation>情感：240 个评论句子用于训练，60 个用于评估，正面或负面</translation>
    </message>
</context>
<context>
    <name>size_explorer</name>
    <message>
        <source>BERT comes in sizes: Google released BERT-base and BERT-large, then tiny to medium versions (Turc et al., 2019). Pick one, or set the sizes yourself, to see how many numbers (parameters) each part of the network learns and how much memory they take. Nothing is downloaded and nothing is trained: the network is built with shapes only (PyTorch&apos;s meta device), so even BERT-large appears at once. A shape is written as PyTorch stores the matrix, (outputs, inputs); biases and LayerNorm add the small vectors counted in the last part of each row.</source>
        <translation>BERT 有不同的规模：Google 发布了 BERT-base 和 BERT-large，后来又发布了 tiny 到 medium 的版本（Turc 等，2019）。选择一个，或自己设定规模，看看网络每一部分要学习多少个数字（参数），以及它们占用多少内存。不下载也不训练任何东西：网络只按形状构建（PyTorch 的 meta 设备），所以连 BERT-large 也能立即显示。形状按 PyTorch 存储矩阵的方式书写，即（输出，输入）；偏置和 LayerNorm 添加的小向量计入每行的最后一部分。</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <source>Transformer layers stacked one on the other</source>
        <translation>一层叠一层的 Transformer 层</translation>
    </message>
    <message>
        <source>Hidden size</source>
        <translation>隐藏层大小</translation>
    </message>
    <message>
        <source>Length of every token&apos;s vector between layers</source>
        <translation>层与层之间每个词元向量的长度</translation>
    </message>
    <message>
        <source>Heads</source>
        <translation>注意力头</translation>
    </message>
    <message>
        <source>Attention heads per layer; they share the hidden size equally</source>
        <translation>每层的注意力头数；它们平分隐藏层大小</translation>
    </message>
    <message>
        <source>Feed-forward size</source>
        <translation>前馈层大小</translation>
    </message>
    <message>
        <source>Inner width of each layer&apos;s feed-forward network (4 x hidden in BERT)</source>
        <translation>每层前馈网络的内部宽度（BERT 中为 4 × 隐藏层大小）</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>词表</translation>
    </message>
    <message>
        <source>Tokens in the WordPiece vocabulary: rows of the word-embedding matrix</source>
        <translation>WordPiece 词表中的词元数：词嵌入矩阵的行数</translation>
    </message>
    <message>
        <source>Positions</source>
        <translation>位置数</translation>
    </message>
    <message>
        <source>Longest input in tokens: rows of the position-embedding matrix</source>
        <translation>以词元计的最长输入：位置嵌入矩阵的行数</translation>
    </message>
    <message>
        <source>{0}{1:,} in vectors</source>
        <translation>{0}{1:,} 在向量中</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt; ({1} layers, hidden {2}, {3} heads of {4}, vocabulary {5:,}): &lt;b&gt;{6:,}&lt;/b&gt; parameters ({7}) for pretraining. The encoder with its pooler holds {8:,}; the masked-LM and next-sentence heads add {9:,}, few, because the masked-LM head&apos;s output matrix is the word-embedding matrix itself.</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;（{1} 层，隐藏层 {2}，{3} 个 {4} 维注意力头，词表 {5:,}）：预训练共有 &lt;b&gt;{6:,}&lt;/b&gt; 个参数（{7}）。编码器连同池化层有 {8:,} 个；掩码语言模型头和下一句预测头只增加 {9:,} 个，因为掩码语言模型头的输出矩阵就是词嵌入矩阵本身。</translation>
    </message>
    <message>
        <source>the {0}M of BERT-{1} is its encoder with its pooler, {2:,} ({3}), leaving out the masked-LM and next-sentence heads ({4:,} with them)</source>
        <translation>BERT-{1} 的 {0}M 指的是它的编码器连同池化层，{2:,}（{3}），不含掩码语言模型头和下一句预测头（含这两者为 {4:,}）</translation>
    </message>
    <message>
        <source>The sizes usually quoted, with Google&apos;s {0:,}-token vocabulary, are rounded and omit the heads, which only pretraining uses: {1}.</source>
        <translation>通常引用的规模（使用 Google 的 {0:,} 个词元的词表）是四舍五入的，并且不含只有预训练才用到的输出头：{1}。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Memory&lt;/b&gt; for the weights: {0} in fp32 (4 bytes each), {1} in fp16 (2 bytes). Training with Adam keeps the weights, their gradients and two running averages in fp32, 16 bytes per parameter: {2} before any activations. One sequence of {3:,} tokens, looked at as this app does, returns {4} in fp32: the hidden states after the embeddings and after every layer, every head&apos;s attention map and the masked-LM scores of every token (the pass&apos;s own temporary memory comes on top, and training keeps more for the backward pass).</source>
        <translation>&lt;b&gt;内存&lt;/b&gt;：权重在 fp32 下占 {0}（每个 4 字节），在 fp16 下占 {1}（2 字节）。用 Adam 训练时要以 fp32 保存权重、它们的梯度和两个滑动平均，每个参数 16 字节：还没算激活就已经 {2}。一条 {3:,} 个词元的序列，按本应用的方式查看，以 fp32 返回 {4}：嵌入之后和每一层之后的隐藏状态、每个注意力头的注意力图以及每个词元的掩码语言模型分数（前向计算本身的临时内存另计，训练时还要为反向传播保留更多）。</translation>
    </message>
</context>
<context>
    <name>tab_guide</name>
    <message>
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>BERT never sees words, only WordPiece tokens: each chip is one token with its row in the vocabulary (the small number), and a piece starting with ## continues the word before it. [CLS] opens the input, [SEP] closes each sentence, colours tell sentence A from B, and Words shows one chip per word. Hover a word to see how WordPiece split it; double-click it to mask it (Ctrl+double-click: one piece), then see Fill-mask.</source>
        <translation>BERT 从不直接看到词，只看到 WordPiece 词元：每个小块是一个词元，附带它在词表中的行号（小数字），以 ## 开头的片段延续前一个词。[CLS] 开启输入，[SEP] 结束每个句子，颜色区分句子 A 和 B，勾选“词”则每个词显示一个小块。将鼠标悬停在词上可查看 WordPiece 如何切分它；双击可把它掩码（Ctrl+双击：只掩码一个片段），然后查看“掩码预测”。</translation>
    </message>
    <message>
        <source>Embeddings</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <source>The model&apos;s input for each token is the sum of three learned vectors: its token&apos;s, its segment&apos;s (sentence A or B) and its position&apos;s; LayerNorm then rescales the sum. In each heatmap a row is a token and a column one hidden dimension (blue negative, red positive); the token, segment and position maps share one scale and LayerNorm&apos;s output has its own. The curves give each part&apos;s size per token; the last map shows how alike the position vectors are.</source>
        <translation>模型对每个词元的输入是三个学到的向量之和：词元向量、片段向量（句子 A 或 B）和位置向量；随后 LayerNorm 重新缩放这个和。每张热图中，一行是一个词元，一列是一个隐藏维度（蓝色为负，红色为正）；词元、片段和位置三张图共用一个刻度，LayerNorm 的输出有自己的刻度。曲线给出每部分在每个词元上的大小；最后一张图显示位置向量彼此有多相似。</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>Each small map is one head of one layer (rows: layers, columns: heads): row = the token that looks, column = the token it looks at; brighter = more attention, each row sums to 1. Click a map to see it large (right-click a cell: how that weight is computed); Head offers a layer&apos;s mean or max too, Show rollout, and Colour heads by tints each map by a statistic. Words shows words, not pieces (attention to a word summed, from one averaged).</source>
        <translation>每张小图是某一层的一个注意力头（行：层，列：注意力头）：行 = 发出关注的词元，列 = 被关注的词元；越亮 = 注意力越多，每行之和为 1。点击一张图可放大查看（右键点击单元格：该权重如何计算）；“注意力头”还提供一层的平均值或最大值，“显示”可选 rollout，“按此为注意力头着色”按某个统计量为每张图着色。勾选“词”则显示词而不是片段（到一个词的注意力求和，从一个词出发的取平均）。</translation>
    </message>
    <message>
        <source>Head view</source>
        <translation>注意力连线</translation>
    </message>
    <message>
        <source>The same attention as lines: the tokens on the left look (queries), those on the right are looked at (keys); a line&apos;s thickness and opacity are its weight, one colour per head. Pick a layer and tick heads to compare them (Words joins each word&apos;s pieces). Click a token on either side to follow it: its lines stand out and its weights show as bars, one per head; right-click it to see how its weights are computed.</source>
        <translation>用连线表示同样的注意力：左侧的词元发出关注（查询），右侧的词元被关注（键）；连线的粗细和不透明度表示权重，每个注意力头一种颜色。选择一层并勾选注意力头以进行比较（勾选“词”会合并每个词的片段）。点击任一侧的词元可跟随它：它的连线会突出显示，它的权重以条形显示，每个注意力头一条；右键点击它可查看其权重如何计算。</translation>
    </message>
    <message>
        <source>Fill-mask</source>
        <translation>掩码预测</translation>
    </message>
    <message>
        <source>Type [MASK] (in capitals) where a word is missing, or double-click a token: the model scores every token of its vocabulary for that gap, and the table and bars show the most probable. The probabilities share 1 over the whole vocabulary, so 0.2 can be a confident answer. The logit lens reads the same prediction after every layer, showing at which depth the answer forms.</source>
        <translation>在缺词的地方输入 [MASK]（大写），或双击一个词元：模型为这个空位给词表中的每个词元打分，表格和条形图显示最可能的那些。概率在整个词表上总和为 1，所以 0.2 也可能是很有把握的回答。Logit lens 在每一层之后读取同一个预测，显示答案在哪个深度形成。</translation>
    </message>
    <message>
        <source>Hidden states</source>
        <translation>隐藏状态</translation>
    </message>
    <message>
        <source>After each layer every token is a long vector; each point is one token&apos;s vector at the chosen layer, projected onto the two directions in which these vectors differ most (PCA). Points close together are tokens the model represents alike there. Move the slider through the layers, and click a point (or choose a token under Follow) to draw its path through every layer.</source>
        <translation>在每一层之后，每个词元都是一个长向量；每个点是某个词元在所选层的向量，投影到这些向量差异最大的两个方向上（PCA）。靠得近的点是模型在该层表示得相似的词元。拖动滑块穿过各层，点击一个点（或在“跟随”中选择一个词元）即可画出它穿过每一层的路径。</translation>
    </message>
    <message>
        <source>Computation</source>
        <translation>计算过程</translation>
    </message>
    <message>
        <source>How BERT computes, on your sentence: pick a panel on the left. Architecture draws the loaded model as boxes with the shape of the numbers on every arrow; Embeddings follows one token into the first layer; One layer, step by step shows every intermediate of a layer (queries, keys, scores, softmax, feed-forward) and Neuron view how one query and the keys make each attention score. Layer, Head and Token above choose what they show.</source>
        <translation>BERT 如何在你的句子上计算：在左侧选择一个面板。“架构”把已加载的模型画成方框，每个箭头上标出数字的形状；“嵌入”跟随一个词元进入第一层；“逐步查看一层”展示一层的每个中间结果（查询、键、分数、softmax、前馈）；“神经元视图”展示一个查询与各个键如何得出每个注意力分数。上方的层、注意力头和词元决定显示什么。</translation>
    </message>
    <message>
        <source>Sentence</source>
        <translation>句子</translation>
    </message>
    <message>
        <source>BERT was also pretrained on next-sentence prediction: did sentence B really come next after sentence A (IsNext), or was it taken from another document (NotNext)? Type a sentence B and the final [CLS] vector answers with P(IsNext); P(NotNext) is 1 minus it. A fine-tuned classifier shows each class&apos;s probability here instead, and a token classifier the tag of each word.</source>
        <translation>BERT 在预训练时还学习了下一句预测：句子 B 是否真的紧跟在句子 A 之后（IsNext），还是取自另一篇文档（NotNext）？输入一个句子 B，最终的 [CLS] 向量会给出 P(IsNext)；P(NotNext) 等于 1 减去它。微调过的分类器在这里改为显示每一类的概率，词元分类器则显示每个词的标签。</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>What is loaded: its shape (layers, heads, hidden size), how many parameters each part holds, the config.json it came from and, where its folder records them, its accuracies measured on held-out text. The ticks say what the checkpoint can do: fill masks (masked-LM head), judge sentence pairs (next-sentence head), or classify (a fine-tuned head). Model &gt; Explore a size compares it with BERT-tiny to BERT-large, part by part.</source>
        <translation>已加载的内容：它的形状（层数、注意力头数、隐藏层大小）、每部分有多少参数、它来自的 config.json，以及（若其文件夹有记录）在留出文本上测得的准确率。勾号表示该检查点能做什么：填充掩码（掩码语言模型头）、判断句对（下一句预测头）或分类（微调过的输出头）。模型 &gt; 探索模型规模 可把它与 BERT-tiny 到 BERT-large 逐部分比较。</translation>
    </message>
    <message>
        <source>Fine-tune</source>
        <translation>微调</translation>
    </message>
    <message>
        <source>Teach the loaded model a new task: choose a file of labelled sentences (text,label) or of tagged words (a word and its tag a line), check its preview and press Start (or continue its pretraining on plain text). The curves show the training loss falling and, on rows held out from training, whether the model really improves: its score must beat always answering the most common class or tag. The finished model opens in the inspector with one click.</source>
        <translation>教已加载的模型一个新任务：选择一个已标注句子的文件（text,label）或已标注词的文件（每行一个词及其标签），检查预览后按“开始”（或在纯文本上继续预训练）。曲线显示训练损失的下降，以及在训练时留出的行上模型是否真的在进步：它的分数必须超过总是回答最常见类别或标签的分数。完成的模型一键即可在检查器中打开。</translation>
    </message>
</context>
<context>
    <name>token_axis</name>
    <message>
        <source>Every {0} token labelled: zoom in with the mouse wheel to label each (double-click: all again).</source>
        <translation>每 {0} 个词元标注一个：用鼠标滚轮放大可逐个标注（双击：恢复全部）。</translation>
    </message>
</context>
<context>
    <name>tokens_view</name>
    <message>
        <source>Hover a chip to see its characters in the sentence and how WordPiece split its word. &lt;b&gt;Double-click&lt;/b&gt; a word to mask it (one [MASK] per word piece, as BERT&apos;s whole-word masking); &lt;b&gt;Ctrl+double-click&lt;/b&gt; masks one piece.</source>
        <translation>将鼠标悬停在小块上，可查看它在句子中对应的字符以及 WordPiece 如何切分这个词。&lt;b&gt;双击&lt;/b&gt;一个词可把它掩码（每个片段一个 [MASK]，与 BERT 的整词掩码相同）；&lt;b&gt;Ctrl+双击&lt;/b&gt;只掩码一个片段。</translation>
    </message>
    <message>
        <source>the word piece&apos;s row in the vocabulary</source>
        <translation>该词片段在词表中的行号</translation>
    </message>
    <message>
        <source>the segment: 0 = sentence A, 1 = sentence B</source>
        <translation>片段：0 = 句子 A，1 = 句子 B</translation>
    </message>
    <message>
        <source>the position, which picks the position embedding</source>
        <translation>位置，用于选取位置嵌入</translation>
    </message>
    <message>
        <source>1 = a real token; 0 would be padding (none: one input at a time)</source>
        <translation>1 = 真实词元；0 表示填充（这里没有：一次只输入一条）</translation>
    </message>
    <message>
        <source>Word: {0} = {1} (tokens {2} to {3}, ids {4})
Double-click: mask it (one [MASK] per piece)</source>
        <translation>词：{0} = {1}（词元 {2} 到 {3}，ID {4}）
双击：将它掩码（每个片段一个 [MASK]）</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0} tokens&lt;/b&gt;: {1} from {2} word(s) of the text, {3} added by the tokenizer.</source>
        <translation>&lt;b&gt;{0} 个词元&lt;/b&gt;：{1} 个来自文本中的 {2} 个词，{3} 个由分词器添加。</translation>
    </message>
    <message>
        <source> Split into pieces: {0}.</source>
        <translation> 被切成片段的：{0}。</translation>
    </message>
</context>
<context>
    <name>two_contexts_view</name>
    <message>
        <source>BERT gives a word a different vector in every sentence. Choose a word in each sentence (by default one they share): the curve is the cosine similarity of its two vectors after each layer (1 = the same direction; layer 0 is the embeddings, where only the position and the sentence differ). A word the model reads in the same sense stays close; two senses drift apart as the layers mix in the context. A word split into pieces is the mean of its pieces.</source>
        <translation>BERT 在每个句子里给同一个词一个不同的向量。在每个句子中选一个词（默认是两句共有的一个词）：曲线是它的两个向量在每一层之后的余弦相似度（1 = 方向相同；第 0 层是嵌入层，那里只有位置和句子不同）。模型按同一意义理解的词会保持接近；随着各层混入上下文，两种意义会逐渐分开。被切成多个片段的词取其各片段的平均值。</translation>
    </message>
</context>
<context>
    <name>word_tags_view</name>
    <message>
        <source>&lt;b&gt;Which tag does each word get?&lt;/b&gt; This model was fine-tuned to tag words (chunks or named entities): its classifier reads the vector of each word&apos;s first piece and gives every tag a probability. B- begins a chunk, I- continues it, O is outside any. Hover a word for its tags.</source>
        <translation>&lt;b&gt;每个词得到哪个标签？&lt;/b&gt;这个模型经过微调，用于给词打标签（组块或命名实体）：它的分类器读取每个词第一个片段的向量，并给每个标签一个概率。B- 表示组块开始，I- 表示延续，O 表示不属于任何组块。将鼠标悬停在词上可查看它的标签。</translation>
    </message>
</context>
<context>
    <name>word_units</name>
    <message>
        <source>{0}.</source>
        <translation>{0}。</translation>
    </message>
    <message>
        <source>Words</source>
        <translation>词</translation>
    </message>
    <message>
        <source>Show words instead of WordPiece pieces (on every tab that has this box). {0} [CLS] and [SEP] stay words of their own.</source>
        <translation>显示词而不是 WordPiece 片段（在所有带此勾选框的标签页上）。{0} [CLS] 和 [SEP] 各自单独作为一个词。</translation>
    </message>
</context>
</TS>
