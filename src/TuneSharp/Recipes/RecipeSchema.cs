namespace TuneSharp.Recipes;

/// <summary>The kind of value a recipe key holds.</summary>
public enum KeyKind { String, Int, Number, Bool, StringList, NumberList, StringMap, Section }

/// <summary>One allowed recipe key: its kind, a one-line description, and for sections the nested keys.</summary>
public sealed record KeySpec(KeyKind Kind, string Description, IReadOnlyDictionary<string, KeySpec>? Keys = null);

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

    /// <summary>The task names a recipe can ask for (<see cref="TuneSharp.Tasks.TaskBuilder.Names"/>).</summary>
    public static IReadOnlyList<string> Tasks => TuneSharp.Tasks.TaskBuilder.Names;

    public static readonly IReadOnlyDictionary<string, KeySpec> Root = new Dictionary<string, KeySpec>(StringComparer.Ordinal)
    {
        ["model"] = S("Hugging Face model folder (config.json, *.safetensors, tokenizer.json); relative to the recipe file"),
        ["task"] = S(string.Join(" | ", TuneSharp.Tasks.TaskBuilder.Names)),
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
            ["multi_label"] = B("Labels are lists; sigmoid + BCE"),
            ["max_length"] = I("Maximum tokens per example"),
            ["truncation"] = S("truncate | drop: what to do with longer examples (truncate keeps the prompt and cuts the end)"),
            ["block_size"] = I("causal-lm: tokens per packed block"),
            ["packing"] = B("causal-lm-sft: pack several examples per row"),
            ["class_weights"] = new(KeyKind.NumberList, "Per-class loss weights, in label order"),
            ["new_special_tokens"] = L("Tokens to add to the tokenizer (embeddings resized, new rows = mean)"),
            ["max_eval_generations"] = I("seq2seq: examples generated for BLEU/chrF at each evaluation"),
            ["limit"] = I("Use a seeded random subset of N training examples (learning curves)"),
        }),
        ["method"] = Section("How the model is adapted", new(StringComparer.Ordinal)
        {
            ["type"] = S("full | lora"),
            ["freeze"] = L("Parameter-name patterns to freeze ('*' wildcard, or 're:' regex)"),
            ["init"] = S("pretrained | random: random re-initialises the model (the transfer-learning baseline)"),
            ["pooling"] = S("Decoder sequence classifiers: last (transformers' last non-pad token) | mean (mean of hidden states)"),
            ["lora"] = Section("PEFT LoraConfig", new(StringComparer.Ordinal)
            {
                ["r"] = I("Rank"),
                ["lora_alpha"] = N("Scaling numerator: scaling = lora_alpha / r"),
                ["lora_dropout"] = N("Dropout on the LoRA input"),
                ["target_modules"] = L("Module names to adapt, e.g. [q_proj, v_proj]"),
                ["use_rslora"] = B("Scaling = lora_alpha / sqrt(r)"),
                ["modules_to_save"] = L("Modules trained and saved in full, e.g. [score]"),
                ["init_lora_weights"] = B("true: B = 0 so training starts from the base model"),
            }),
        }),
        ["training"] = Section("Optimisation", new(StringComparer.Ordinal)
        {
            ["epochs"] = I("Passes over the training data"),
            ["max_steps"] = I("Stop after N optimizer steps (overrides epochs)"),
            ["batch_size"] = I("Examples per micro-batch"),
            ["gradient_accumulation_steps"] = I("Micro-batches per optimizer step"),
            ["learning_rate"] = N("Peak learning rate"),
            ["optimizer"] = S("adamw | sgd"),
            ["weight_decay"] = N("Decoupled weight decay (not on biases and norms)"),
            ["adam_beta1"] = N("AdamW beta1"),
            ["adam_beta2"] = N("AdamW beta2"),
            ["adam_epsilon"] = N("AdamW epsilon"),
            ["momentum"] = N("SGD momentum"),
            ["lr_scheduler"] = S("constant | linear | cosine"),
            ["warmup_steps"] = I("Linear warmup steps"),
            ["warmup_ratio"] = N("Warmup as a fraction of all steps"),
            ["max_grad_norm"] = N("Gradient clipping (0 = off)"),
            ["label_smoothing"] = N("Label smoothing for cross-entropy"),
            ["group_by_length"] = B("Batch similar lengths together"),
            ["logging_steps"] = I("Log every N steps"),
            ["save_steps"] = I("Checkpoint every N steps (0 = at each evaluation)"),
            ["save_total_limit"] = I("Checkpoints kept besides the best"),
            ["max_non_finite_steps"] = I("Stop after N non-finite steps in a row"),
            ["bf16"] = B("bf16 on CUDA"),
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
        ["evaluation"] = Section("Evaluation and early stopping", new(StringComparer.Ordinal)
        {
            ["eval_steps"] = I("Evaluate every N steps (0 = each epoch)"),
            ["eval_batch_size"] = I("Examples per evaluation batch"),
            ["metric_for_best_model"] = S("Metric that picks the best checkpoint, e.g. loss, accuracy, macro_f1"),
            ["greater_is_better"] = B("True for accuracy-like metrics"),
            ["early_stopping_patience"] = I("Evaluations without improvement before stopping (0 = off)"),
            ["early_stopping_threshold"] = N("Minimum improvement that counts"),
            ["load_best_model_at_end"] = B("Restore the best checkpoint at the end"),
        }),
    };
}
