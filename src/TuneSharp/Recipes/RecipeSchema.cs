using System.Text.Json.Nodes;
using TuneSharp.Training;

namespace TuneSharp.Recipes;

/// <summary>The kind of value a recipe key holds.</summary>
public enum KeyKind { String, Int, Number, Bool, StringList, NumberList, StringMap, Section, SectionMap }

/// <summary>
/// One allowed recipe key: its kind (a <see cref="KeyKind.SectionMap"/> holds named sections, each with the nested keys), a one-line description, for sections the nested keys, and for keys that set a
/// <see cref="TrainingOptions"/> field the setter (so <see cref="Recipe.Training"/> spells no key of its own).
/// </summary>
public sealed record KeySpec(KeyKind Kind, string Description, IReadOnlyDictionary<string, KeySpec>? Keys = null,
    Func<TrainingOptions, JsonObject, string, TrainingOptions>? Bind = null);

/// <summary>
/// Every key a recipe may contain. Names follow Hugging Face (TrainingArguments, PEFT's LoraConfig) where
/// one exists. Unknown keys are errors with the closest valid name, so a typo never silently does nothing.
/// </summary>
public static class RecipeSchema
{
    static KeySpec S(string d) => new(KeyKind.String, d);
    static KeySpec I(string d) => new(KeyKind.Int, d);
    static KeySpec N(string d) => new(KeyKind.Number, d);
    static KeySpec B(string d) => new(KeyKind.Bool, d);
    static KeySpec L(string d) => new(KeyKind.StringList, d);
    static KeySpec Section(string d, Dictionary<string, KeySpec> keys) => new(KeyKind.Section, d, keys);

    // Keys that set a TrainingOptions field; an absent key keeps the field's default.
    static KeySpec S(string d, Func<TrainingOptions, string, TrainingOptions> set) =>
        new(KeyKind.String, d, Bind: (o, s, k) => Recipe.Value(s[k]) is { } v ? set(o, v) : o);
    static KeySpec I(string d, Func<TrainingOptions, int, TrainingOptions> set) =>
        new(KeyKind.Int, d, Bind: (o, s, k) => Recipe.Int(s, k) is long v ? set(o, (int)v) : o);
    static KeySpec N(string d, Func<TrainingOptions, double, TrainingOptions> set) =>
        new(KeyKind.Number, d, Bind: (o, s, k) => Recipe.Number(s, k) is double v ? set(o, v) : o);
    static KeySpec B(string d, Func<TrainingOptions, bool, TrainingOptions> set) =>
        new(KeyKind.Bool, d, Bind: (o, s, k) => Recipe.Bool(s, k) is bool v ? set(o, v) : o);

    /// <summary>The task a recipe with a multi_task section names.</summary>
    public const string MultiTask = "multi-task";

    /// <summary>The task names a recipe can ask for (<see cref="TuneSharp.Tasks.TaskBuilder.Names"/>, and multi-task).</summary>
    public static IReadOnlyList<string> Tasks { get; } = [.. TuneSharp.Tasks.TaskBuilder.Names, MultiTask];

    public static readonly IReadOnlyDictionary<string, KeySpec> Root = new Dictionary<string, KeySpec>(StringComparer.Ordinal)
    {
        ["model"] = S("Hugging Face model folder (config.json, *.safetensors, tokenizer.json); relative to the recipe file"),
        ["task"] = S(string.Join(" | ", TuneSharp.Tasks.TaskBuilder.Names) + " | multi-task (several heads on one encoder: see multi_task)"),
        ["seed"] = I("Seed for initialisation, dropout and data order"),
        ["device"] = S("auto | cpu | cuda"),
        ["model_config"] = new(KeyKind.StringMap, "config.json values to override, e.g. {hidden_dropout_prob: 0.2, attention_dropout: 0.1} (dropout)"),
        ["output_dir"] = S("Run folder (default: runs/<recipe name>); relative to the recipe file"),
        ["data"] = Section("Where the examples come from", new(StringComparer.Ordinal)
        {
            ["train"] = S("Training file (JSONL, CSV/TSV, Parquet, CoNLL or text)"),
            ["validation"] = S("Validation file"),
            ["test"] = S("Test file"),
            ["format"] = S("jsonl | csv | tsv | parquet | conll | text (default: by extension)"),
            ["fields"] = new(KeyKind.StringMap, "Field names: e.g. {text: review, label: stars}"),
            ["labels"] = L("The label set, in index order (default: from the training data)"),
            ["labels_from"] = S("train | all: without data.labels, the label set comes from the training split (a label seen only in validation/test is an error) or from all splits"),
            ["multi_label"] = B("Labels are lists; sigmoid + BCE"),
            ["max_length"] = I("Maximum tokens per example"),
            ["truncation"] = S("truncate | drop: what to do with longer examples (truncate keeps the prompt and cuts the end)"),
            ["block_size"] = I("causal-lm: tokens per packed block"),
            ["mlm_probability"] = N("masked-lm: fraction of tokens selected for the loss (default 0.15; of those 80 % [MASK], 10 % random, 10 % kept)"),
            ["packing"] = B("causal-lm-sft: pack several examples per row"),
            ["class_weights"] = new(KeyKind.NumberList, "Per-class loss weights, in label order"),
            ["new_special_tokens"] = L("Tokens to add to the tokenizer (embeddings resized, new rows = mean)"),
            ["max_eval_generations"] = I("seq2seq, causal-lm-sft: examples generated at each evaluation for exact match, BLEU, chrF and ROUGE-L (default 64; 0 = none)"),
            ["limit"] = I("Use a seeded random subset of N training examples (learning curves)"),
        }),
        ["method"] = Section("How the model is adapted", new(StringComparer.Ordinal)
        {
            ["type"] = S("full | lora | frozen-features (sequence classification: the encoder stays frozen, a logistic regression on its pooled vectors becomes the head) | prompt-tuning (BERT sequence classification: a trained soft prompt and head, the encoder frozen; decoder causal-lm, causal-lm-sft, seq2seq: a trained soft prompt, the model frozen) | setfit (BERT sequence classification: contrastive training of the encoder on pairs of the training examples, then a logistic regression head)"),
            ["l2"] = new(KeyKind.NumberList, "frozen-features and setfit: L2 penalties to try, the best on validation kept (default [1e-4, 1e-3, 1e-2, 0.1, 1, 10])"),
            ["freeze"] = L("Parameter-name patterns to freeze ('*' wildcard, or 're:' regex)"),
            ["freeze_layers"] = I("Freeze the embeddings and the bottom N transformer layers (0 = the embeddings only)"),
            ["init"] = S("pretrained | random: random re-initialises the model (the transfer-learning baseline)"),
            ["pooling"] = S("Sequence classifiers. Decoders: last (transformers' last non-pad token) | mean. BERT: pooler (default, transformers' head) | cls | mean (sentence encoders)"),
            ["lora"] = Section("PEFT LoraConfig", new(StringComparer.Ordinal)
            {
                ["r"] = I("Rank"),
                ["lora_alpha"] = N("Scaling numerator: scaling = lora_alpha / r"),
                ["lora_dropout"] = N("Dropout on the LoRA input"),
                ["target_modules"] = L("Module names to adapt, e.g. [q_proj, v_proj]"),
                ["use_rslora"] = B("Scaling = lora_alpha / sqrt(r)"),
                ["use_dora"] = B("DoRA: a learned magnitude per output row times the direction of W + scaling·B·A (saved as PEFT's lora_magnitude_vector)"),
                ["modules_to_save"] = L("Modules trained and saved in full, e.g. [score]"),
                ["init_lora_weights"] = B("true: B = 0 so training starts from the base model"),
            }),
            ["prompt_tuning"] = Section("PEFT PromptTuningConfig (method.type prompt-tuning)", new(StringComparer.Ordinal)
            {
                ["num_virtual_tokens"] = I("Soft-prompt vectors prepended to every input (default 20)"),
                ["prompt_tuning_init"] = S("RANDOM (N(0, 1), PEFT's default) | SAMPLE_VOCAB (random word-embedding rows) | TEXT (the embeddings of prompt_tuning_init_text)"),
                ["prompt_tuning_init_text"] = S("TEXT: the text whose token embeddings start the prompt, repeated or cut to num_virtual_tokens"),
            }),
            ["setfit"] = Section("SetFit's contrastive stage (method.type setfit), setfit's names and defaults", new(StringComparer.Ordinal)
            {
                ["num_iterations"] = I("Positive and negative pairs drawn per training example (default 20)"),
                ["batch_size"] = I("Pairs per step (default 16)"),
                ["learning_rate"] = N("The body's AdamW learning rate, warm-up then linear decay (default 2e-5)"),
                ["epochs"] = I("Passes over the pairs (default 1)"),
                ["max_pairs"] = I("Cap on the pairs drawn (default none: 2 · num_iterations · examples)"),
            }),
        }),
        ["training"] = Section("Optimisation", new(StringComparer.Ordinal)
        {
            ["epochs"] = I("Passes over the training data", (o, v) => o with { Epochs = v }),
            ["max_steps"] = I("Stop after N optimizer steps (overrides epochs)", (o, v) => o with { MaxSteps = v }),
            ["batch_size"] = I("Examples per micro-batch", (o, v) => o with { BatchSize = v }),
            ["gradient_accumulation_steps"] = I("Micro-batches per optimizer step", (o, v) => o with { GradientAccumulationSteps = v }),
            ["learning_rate"] = N("Peak learning rate", (o, v) => o with { LearningRate = v }),
            ["optimizer"] = S("adamw | adamw_flat (one contiguous buffer, a few kernels a step) | sgd", (o, v) => o with { Optimizer = v }),
            ["weight_decay"] = N("Decoupled weight decay (not on biases and norms)", (o, v) => o with { WeightDecay = v }),
            ["adam_beta1"] = N("AdamW beta1", (o, v) => o with { AdamBeta1 = v }),
            ["adam_beta2"] = N("AdamW beta2", (o, v) => o with { AdamBeta2 = v }),
            ["adam_epsilon"] = N("AdamW epsilon", (o, v) => o with { AdamEpsilon = v }),
            ["momentum"] = N("SGD momentum", (o, v) => o with { Momentum = v }),
            ["lr_scheduler"] = S("constant | linear | cosine", (o, v) => o with { LrScheduler = v }),
            ["warmup_steps"] = I("Linear warmup steps", (o, v) => o with { WarmupSteps = v }),
            ["warmup_ratio"] = N("Warmup as a fraction of all steps", (o, v) => o with { WarmupRatio = v }),
            ["max_grad_norm"] = N("Gradient clipping (0 = off)", (o, v) => o with { MaxGradNorm = v }),
            ["label_smoothing"] = N("Label smoothing for cross-entropy"),
            ["group_by_length"] = B("Batch similar lengths together", (o, v) => o with { GroupByLength = v }),
            ["logging_steps"] = I("Log every N steps", (o, v) => o with { LoggingSteps = v }),
            ["layerwise_lr_decay"] = N("Discriminative learning rates (ULMFiT): each layer group below the top trains at the rate above / this (2.6 in ULMFiT; 1 = off)", (o, v) => o with { LayerwiseLrDecay = v }),
            ["gradual_unfreezing"] = B("ULMFiT gradual unfreezing: start with the heads only, open one more layer group per epoch (or every unfreeze_every_steps)", (o, v) => o with { GradualUnfreezing = v }),
            ["unfreeze_every_steps"] = I("Gradual unfreezing period in optimizer steps (0 = one group per epoch)", (o, v) => o with { UnfreezeEverySteps = v }),
            ["save_strategy"] = S("steps | no: no = never write checkpoints", (o, v) => o with { SaveStrategy = v }),
            ["save_steps"] = I("Checkpoint every N steps (0 = at each evaluation)", (o, v) => o with { SaveSteps = v }),
            ["save_total_limit"] = I("Checkpoints kept besides the best", (o, v) => o with { SaveTotalLimit = v }),
            ["max_non_finite_steps"] = I("Stop after N non-finite steps in a row", (o, v) => o with { MaxNonFiniteSteps = v }),
            ["bf16"] = B("bf16 weights and activations with fp32 master weights (same as precision: bf16)", (o, v) => o with { Bf16 = v }),
            ["precision"] = S("fp32 | bf16: bf16 computes in bf16 with fp32 master weights, optimizer state and loss", (o, v) => o with { Precision = v }),
            ["chunked_cross_entropy"] = B("causal LM: fused vocabulary projection + loss in chunks; full logits never materialised"),
            ["gradient_checkpointing"] = B("decoder models: recompute each block in backward (less memory, one more forward)"),
        }),
        ["generation"] = Section("How evaluation generates (seq2seq, causal-lm-sft; also predict's default length): greedy unless do_sample", new(StringComparer.Ordinal)
        {
            ["max_new_tokens"] = I("New-token limit of each generation (default 64)"),
            ["do_sample"] = B("Sample instead of greedy decoding (default false)"),
            ["temperature"] = N("do_sample: softmax temperature (default 1.0)"),
            ["top_p"] = N("do_sample: nucleus sampling (default 1.0 = off)"),
            ["top_k"] = I("do_sample: keep the k most likely tokens (default 0 = off)"),
            ["repetition_penalty"] = N("CTRL-style penalty on tokens already present (default 1.0 = off)"),
            ["seed"] = I("do_sample: seed of example i's generator is seed + i (default: the recipe's seed)"),
        }),
        ["curriculum"] = Section("Curriculum learning: rank the training examples by difficulty and let harder ones in as training goes", new(StringComparer.Ordinal)
        {
            ["difficulty"] = S("length (tokens, default) | loss (a reference model's loss on each example) | field (a number in the data)"),
            ["field"] = S("difficulty: field: the numeric field holding each example's difficulty"),
            ["reference_model"] = S("difficulty: loss: model folder whose loss ranks the examples, e.g. a one-epoch run's model/ (default: the model being trained, before training); relative to the recipe"),
            ["pacing"] = S("competence (Platanios et al. 2019: the easiest sqrt-growing share is open, default) | baby_steps (buckets released in order)"),
            ["order"] = S("easy_first (default) | hard_first (anti-curriculum, the control)"),
            ["pacing_ratio"] = N("Share of the training steps after which every example is open (default 0.5)"),
            ["initial_competence"] = N("pacing: competence: share of the data open at step 0 (default 0.1)"),
            ["buckets"] = I("pacing: baby_steps: number of difficulty buckets (default 5)"),
        }),
        ["adversarial"] = Section("Adversarial fine-tuning: perturb the input word embeddings (BERT-family encoders) and train against it", new(StringComparer.Ordinal)
        {
            ["method"] = S("fgm (one step of exactly epsilon; clean + adversarial loss) | pgd (K projected ascent steps; clean + adversarial loss) | freelb (K steps, gradients accumulated, each / K) | smart (loss + lambda_s · symmetric KL to a perturbed input + mu · Bregman proximal term); required"),
            ["epsilon"] = N("Radius of the perturbation ball: per-example L2 norm over all tokens (l2) or per element (linf) (default 1.0)"),
            ["step_size"] = N("pgd, freelb, smart: ascent step alpha (default 0.3)"),
            ["steps"] = I("pgd, freelb, smart: ascent steps K (default 3 for pgd and freelb, 1 for smart); each costs one more forward/backward"),
            ["norm"] = S("l2 (default; direction g/‖g‖) | linf (direction sign(g))"),
            ["init"] = S("pgd, freelb, smart: start of delta: zero (default for pgd) | uniform (in the ball; default for freelb) | normal (variance noise_var; default for smart)"),
            ["lambda_s"] = N("smart: weight of the smoothness term (default 1.0)"),
            ["mu"] = N("smart: weight of the Bregman proximal term against the mean teacher; 0 = off (default 1.0)"),
            ["beta"] = N("smart: momentum of the mean teacher θ̃ (default 0.99)"),
            ["noise_var"] = N("init: normal: variance of the Gaussian start (default 1e-5)"),
        }),
        ["distillation"] = Section("Knowledge distillation (sequence-classification): a fine-tuned teacher's softened logits, optionally its hidden states, guide the student (model:)", new(StringComparer.Ordinal)
        {
            ["teacher"] = S("Fine-tuned classifier folder with the student's labels and tokenizer (required); relative to the recipe"),
            ["temperature"] = N("Softmax temperature T of the KL term, which is scaled by T² (default 2)"),
            ["alpha"] = N("Weight of the KL term; 1 - alpha weighs the hard-label loss (default 0.5; 0 = hard labels only)"),
            ["hidden_mse"] = N("Weight of the hidden-state MSE between student layers and their mapped teacher layers, through a trainable projection when widths differ (default 0 = off; BERT)"),
            ["layer_map"] = new(KeyKind.NumberList, "hidden_mse: teacher layer (0-based) for each student layer (default evenly spaced, last onto last: 3 of 6 → [1, 3, 5])"),
        }),
        ["domain_adaptation"] = Section("Continued pretraining on in-domain text before the task (stage 1, into <run>/domain-adapted/), with its loss on in-domain and general held-out text before and after", new(StringComparer.Ordinal)
        {
            ["corpus"] = S("In-domain text file (JSONL/CSV/text; one row per record); required. Relative to the recipe"),
            ["corpus_validation"] = S("Held-out in-domain text for the before/after loss (default: eval_examples rows held out from corpus)"),
            ["general_corpus"] = S("General (out-of-domain) text: its held-out loss before and after measures forgetting; replay mixes it into training"),
            ["general_validation"] = S("Held-out general text (default: eval_examples rows held out from general_corpus)"),
            ["text_field"] = S("Field holding the text (default: text)"),
            ["eval_examples"] = I("Held-out rows measured per corpus: the first N of its validation file, or N held out from it by a fixed shuffle (default 200)"),
            ["objective"] = S("auto | masked-lm | causal-lm (auto: masked-lm for BERT encoders, causal-lm for decoders)"),
            ["mlm_probability"] = N("masked-lm: fraction of tokens selected (default 0.15; 80 % [MASK], 10 % random, 10 % kept)"),
            ["replay_ratio"] = N("Fraction of the stage's training rows drawn from general_corpus (default 0 = no replay; needs general_corpus)"),
            ["max_length"] = I("Tokens per row (masked-lm) or per block (causal-lm) (default: data.max_length, else 128)"),
            ["epochs"] = I("Passes over the corpus (default 1)", (o, v) => o with { Epochs = v }),
            ["max_steps"] = I("Stop after N optimizer steps (overrides epochs)", (o, v) => o with { MaxSteps = v }),
            ["batch_size"] = I("Rows per batch (default 16)", (o, v) => o with { BatchSize = v }),
            ["learning_rate"] = N("Peak learning rate (default 5e-5)", (o, v) => o with { LearningRate = v }),
            ["warmup_ratio"] = N("Warmup as a fraction of the stage's steps (default 0.06)", (o, v) => o with { WarmupRatio = v }),
            ["weight_decay"] = N("Decoupled weight decay (default 0.01)", (o, v) => o with { WeightDecay = v }),
            ["lr_scheduler"] = S("constant | linear | cosine (default linear)", (o, v) => o with { LrScheduler = v }),
            ["eval_batch_size"] = I("Rows per evaluation batch (default 64)", (o, v) => o with { EvalBatchSize = v }),
        }),
        ["pretrain"] = Section("Pretraining from random init (tunesharp pretrain)", new(StringComparer.Ordinal)
        {
            ["datasets"] = L("Datasets fetched with `tunesharp data fetch` (raw text splits): nlp-corpus, brown"),
            ["vocab_size"] = I("Byte-level BPE vocabulary size (tokenizer trained on the training split)"),
            ["block_size"] = I("Tokens per training block"),
            ["max_validation_blocks"] = I("Held-out blocks evaluated for perplexity"),
            ["architecture"] = new(KeyKind.StringMap, "config.json keys of the Llama model (hidden_size, num_hidden_layers, ...)"),
            ["save_to"] = S("Folder for the finished model (config, weights, tokenizer, model card); relative to the recipe"),
        }),
        ["multi_task"] = Section("Multi-task learning (task: multi-task): one shared BERT encoder, one head per task; each micro-batch holds one task's examples", new(StringComparer.Ordinal)
        {
            ["tasks"] = new(KeyKind.SectionMap, "The tasks by head name (letters, digits, _ and -), each with its own data keys; the name selects the head in predict/serve --head. One task alone is the single-task baseline (override multi_task.tasks.NAME=null drops a task)", new Dictionary<string, KeySpec>(StringComparer.Ordinal)
            {
                ["task"] = S("sequence-classification | token-classification (required)"),
                ["train"] = S("Training file (required); relative to the recipe file"),
                ["validation"] = S("Validation file"),
                ["test"] = S("Test file"),
                ["format"] = S("jsonl | csv | tsv | parquet | conll | text (default: by extension)"),
                ["fields"] = new(KeyKind.StringMap, "Field names, as data.fields: e.g. {text: body, label: topic} or {tokens: words, tags: pos}"),
                ["labels"] = L("The label (tag) set, in index order (default: from the training data)"),
                ["labels_from"] = S("train | all, as data.labels_from"),
                ["max_length"] = I("Maximum tokens per example (default 512)"),
                ["limit"] = I("A seeded random subset of N training examples"),
                ["validation_limit"] = I("A random subset of N validation examples, the same for every run seed (faster evaluation)"),
                ["test_limit"] = I("A random subset of N test examples, the same for every run seed"),
                ["pooling"] = S("Sequence heads: pooler | cls | mean, as method.pooling (default: the model's, else pooler)"),
                ["weight"] = N("Loss weight w_t with loss_weighting: fixed (default 1)"),
                ["metric"] = S("The task's metric averaged into the combined 'score' (default: accuracy; token tasks f1 for BIO tags, else token_accuracy)"),
            }),
            ["mixing"] = S("Which task each micro-batch comes from. proportional (default): every batch of every task once per epoch, in a seeded shuffle | temperature: each batch drawn with p_t ∝ n_t^(1/T) (T5/mT5; small tasks oversampled) | round_robin: the tasks in turn. An epoch is all tasks' batches together"),
            ["temperature"] = N("T of mixing: temperature (default 2; 1 = proportional, large = uniform)"),
            ["loss_weighting"] = S("fixed (default: w_t · L_t with each task's weight) | uncertainty (Kendall et al. 2018: exp(-s_t) · L_t + s_t / 2 with a learned log-variance s_t per task)"),
        }),
        ["evaluation"] = Section("Evaluation and early stopping", new(StringComparer.Ordinal)
        {
            ["eval_steps"] = I("Evaluate every N steps (0 = each epoch)", (o, v) => o with { EvalSteps = v }),
            ["eval_strategy"] = S("steps | epoch | no: when to evaluate during training (default: steps if eval_steps > 0, else epoch; no = only the final model)", (o, v) => o with { EvalStrategy = v }),
            ["eval_batch_size"] = I("Examples per evaluation batch", (o, v) => o with { EvalBatchSize = v }),
            ["metric_for_best_model"] = S("Metric that picks the best checkpoint, e.g. loss, accuracy, macro_f1", (o, v) => o with { MetricForBestModel = v }),
            ["greater_is_better"] = B("True for accuracy-like metrics (default: false for loss and perplexity, else true)", (o, v) => o with { GreaterIsBetter = v }),
            ["early_stopping_patience"] = I("Evaluations without improvement before stopping (0 = off)", (o, v) => o with { EarlyStoppingPatience = v }),
            ["early_stopping_threshold"] = N("Minimum improvement that counts", (o, v) => o with { EarlyStoppingThreshold = v }),
            ["load_best_model_at_end"] = B("Restore the best checkpoint at the end", (o, v) => o with { LoadBestModelAtEnd = v }),
        }),
    };
}
