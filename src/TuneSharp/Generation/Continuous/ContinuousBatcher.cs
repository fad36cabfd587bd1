using TorchSharp;
using TuneSharp.Models;
using TuneSharp.Models.Common;
using static TorchSharp.torch;

namespace TuneSharp.Generation.Continuous;

/// <summary>
/// Iteration-level scheduling of generation requests over one model (Orca, vLLM): requests join the running batch at
/// the next iteration and leave it as soon as they finish, instead of waiting for each other. Each iteration
/// (<see cref="Step"/>):
/// <list type="number">
/// <item>drops cancelled requests (their slots are free at once);</item>
/// <item>admits waiting requests in arrival order while KV slots are free (and while they name the running batch's
/// model id: adapters are switched only when the batch is empty, so a request never overtakes an earlier one);</item>
/// <item>reads the next chunk (<see cref="ContinuousBatchingOptions.PrefillChunk"/>) of every joining prompt in one
/// forward, bounded by <see cref="ContinuousBatchingOptions.PrefillBudget"/>, and picks the first token of each prompt
/// read to its end;</item>
/// <item>decodes one token for every running sequence in one forward.</item>
/// </list>
/// Every sequence keeps its keys and values in its own slot of a <see cref="SlotKvCache"/>: running sequences occupy
/// slots 0..d-1 (so the decode forward reads them as one view, without copying), joining ones the slots after them.
/// A sequence decodes exactly as it would alone: its row sees only its own positions, and picks its tokens through
/// the same <see cref="GeneratedRow"/> as <see cref="BatchGenerator"/>. Not thread-safe: one thread (the model's
/// worker) calls <see cref="Add"/> and <see cref="Step"/>; <see cref="Waiting"/> and <see cref="Running"/> may be read anywhere.
/// </summary>
public sealed class ContinuousBatcher : IDisposable
{
    readonly ICausalLM model;
    readonly ContinuousBatchingOptions options;
    readonly Action<string>? activate;
    readonly SlotKvCache cache;
    readonly SequenceSlot?[] slots;
    readonly List<BatchedRequest> waiting = [];
    readonly List<BatchedRequest> running = [];
    readonly Device device;
    readonly long padId;
    int decoding, active, waitingCount, runningCount;
    long arrivals, generatedTokens;
    string? activeModel;

    /// <summary>
    /// A batcher over <paramref name="model"/>; <paramref name="activate"/> puts a model id's weights in place (an
    /// adapter switch) before requests of that id run, or is null for a single model.
    /// </summary>
    public ContinuousBatcher(ICausalLM model, ContinuousBatchingOptions options, Action<string>? activate = null)
    {
        options.Validate();
        this.model = model;
        this.options = options;
        this.activate = activate;
        cache = new SlotKvCache(model.Info.NumLayers, options.MaxBatch);
        slots = new SequenceSlot?[options.MaxBatch];
        device = model.Module.parameters().First().device;
        padId = model.Info.PadTokenId ?? model.Info.EosTokenIds.FirstOrDefault();
    }

    /// <summary>Requests waiting for slots.</summary>
    public int Waiting => Volatile.Read(ref waitingCount);

    /// <summary>Sequences in the running batch (reading their prompt or generating).</summary>
    public int Running => Volatile.Read(ref runningCount);

    /// <summary>Tokens picked since the batcher started, over all requests.</summary>
    public long GeneratedTokens => Interlocked.Read(ref generatedTokens);

    /// <summary>True while a request waits or runs: the worker should keep calling <see cref="Step"/>.</summary>
    public bool HasWork => waiting.Count > 0 || running.Count > 0;

    /// <summary>
    /// The checks <see cref="Add"/> makes (bad input is a <see cref="UserError"/>); reads only fixed facts of the model,
    /// so any thread may call it, e.g. to answer 400 before a stream starts.
    /// </summary>
    public void Check(BatchedRequest request)
    {
        BatchGenerator.CheckPrompts(model, request.Prompts, request.Options);
        if (request.Prompts.Count > options.MaxBatch)
            throw new UserError($"this request asks for {request.Prompts.Count} sequences (prompts × n); the server decodes at most {options.MaxBatch} at once (--max-batch)");
    }

    /// <summary>Queues <paramref name="request"/> after checking it (<see cref="Check"/>).</summary>
    public void Add(BatchedRequest request)
    {
        Check(request);
        request.Order = arrivals++;
        waiting.Add(request);
        Volatile.Write(ref waitingCount, waiting.Count);
    }

    /// <summary>Runs one iteration; a failure of the model fails every running request and empties the batch.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        try
        {
            DropCancelled();
            Admit();
            if (active > decoding) Prefill();
            if (decoding > 0) Decode();
        }
        catch (Exception e)
        {
            foreach (var r in running) r.Fail(e);
            running.Clear();
            Array.Clear(slots);
            decoding = active = 0;
        }
        Volatile.Write(ref waitingCount, waiting.Count);
        Volatile.Write(ref runningCount, active);
    }

    /// <summary>
    /// Puts the running batch's model id back in place; the worker calls it after other work (embeddings, prompt
    /// logprobs) that may have switched adapters between iterations.
    /// </summary>
    public void RestoreModel()
    {
        if (activeModel is not null && running.Count > 0) activate?.Invoke(activeModel);
    }

    void DropCancelled()
    {
        foreach (var r in waiting.Where(r => r.Cancel.IsCancellationRequested).ToList())
        {
            waiting.Remove(r);
            r.Fail(new OperationCanceledException(r.Cancel));
        }
        foreach (var r in running.Where(r => r.Cancel.IsCancellationRequested).ToList()) Finish(r, new OperationCanceledException(r.Cancel));
    }

    void Admit()
    {
        while (waiting.Count > 0)
        {
            var r = waiting[0];
            if (running.Count > 0 && !string.Equals(r.Model, activeModel, StringComparison.Ordinal)) return;
            if (r.Prompts.Count > options.MaxBatch - active) return;
            waiting.RemoveAt(0);
            if (running.Count == 0 && !string.Equals(r.Model, activeModel, StringComparison.Ordinal))
            {
                activate?.Invoke(r.Model);
                activeModel = r.Model;
            }
            r.Rows = r.Prompts.Select(p => new GeneratedRow(p, r.Options)).ToArray();
            r.StopIds = GeneratedRow.StopIds(r.Options, model.Info.EosTokenIds);
            r.Generator = r.Options.Seed is long seed ? new Generator((ulong)seed, device) : null;
            running.Add(r);
            for (int row = 0; row < r.Rows.Length; row++)
            {
                if (r.Options.MaxNewTokens == 0) { r.Rows[row].EndForLength(); continue; }
                var s = new SequenceSlot(r, row) { Slot = active };
                slots[active++] = s;
            }
            if (r.AllFinished) Finish(r, null);
        }
    }

    /// <summary>Reads the next chunk of every joining prompt in one forward; prompts read to the end pick their first token.</summary>
    void Prefill()
    {
        using var scope = NewDisposeScope();
        // Requests already reading their prompt always go on (so their rows stay in step); new ones join within the budget.
        var joining = Enumerable.Range(decoding, active - decoding).Select(i => slots[i]!).Where(s => s.Prefilling)
            .GroupBy(s => s.Request).OrderBy(g => g.Key.Order).ToList();
        var chosen = new List<SequenceSlot>();
        int tokens = 0;
        foreach (var group in joining)
        {
            int need = group.Sum(s => Math.Min(s.PromptLeft, options.PrefillChunk));
            bool started = group.Any(s => s.Cached > 0);
            // Started requests come first (arrival order), so stopping here never lets a later request overtake.
            if (!started && chosen.Count > 0 && tokens + need > options.PrefillBudget) break;
            chosen.AddRange(group.OrderBy(s => s.Row));
            tokens += need;
        }
        var chunks = chosen.Select(s => (IReadOnlyList<int>)s.Generated.Prompt.Skip((int)s.Cached).Take(options.PrefillChunk).ToList()).ToList();
        var hidden = RaggedStep.LastHidden(model, cache, chosen.Select(s => s.Slot).ToList(), chosen.Select(s => s.Cached).ToList(),
            chunks, padId, device);                                                                     // (B, C)
        for (int b = 0; b < chosen.Count; b++) chosen[b].Cached += chunks[b].Count;
        var read = Enumerable.Range(0, chosen.Count).Where(b => chosen[b].PromptLeft == 0).ToList();
        if (read.Count == 0) return;
        var logits = model.LmHead(hidden.index_select(0, tensor(read.Select(b => (long)b).ToArray(), device: device)).unsqueeze(1)).select(1, 0); // (R, V)
        Pick(read.Select(b => chosen[b]).ToList(), logits);
        // Sequences that read their prompt join the decoding range (slots 0..decoding-1), unless their first token ended them.
        foreach (var s in read.Select(b => chosen[b]).OrderBy(s => s.Slot))
            if (s.Generated.Finish is null) { Swap(s.Slot, decoding); decoding++; }
        FinishEnded();
    }

    /// <summary>Feeds every running sequence its pending token and picks the next one, in one forward.</summary>
    void Decode()
    {
        using var scope = NewDisposeScope();
        var rows = Enumerable.Range(0, decoding).Select(i => slots[i]!).ToList();
        var hidden = RaggedStep.LastHidden(model, cache, rows.Select(s => s.Slot).ToList(), rows.Select(s => s.Cached).ToList(),
            rows.Select(s => (IReadOnlyList<int>)[s.Pending!.Value]).ToList(), padId, device);          // (B, C)
        foreach (var s in rows) s.Cached++;
        var logits = model.LmHead(hidden.unsqueeze(1)).select(1, 0);                                    // (B, V)
        Pick(rows, logits);
        FinishEnded();
    }

    /// <summary>
    /// Picks each sequence's next token from its logits row (row b of <paramref name="logits"/> is
    /// <paramref name="seqs"/>[b]): plain greedy rows by one argmax over the batch, the others through the sampler.
    /// Requests sample in arrival order and their rows in row order, as each would alone.
    /// </summary>
    void Pick(List<SequenceSlot> seqs, Tensor logits)
    {
        long[]? argmax = seqs.Any(s => GeneratedRow.IsPlainGreedy(s.Request.Options))
            ? logits.argmax(1).cpu().data<long>().ToArray() : null;
        var order = Enumerable.Range(0, seqs.Count).OrderBy(b => seqs[b].Request.Order).ThenBy(b => seqs[b].Row);
        foreach (int b in order)
        {
            var s = seqs[b];
            var r = s.Request;
            int? next;
            if (GeneratedRow.IsPlainGreedy(r.Options))
            {
                next = (int)argmax![b];
                s.Generated.Accept(next.Value, null, r.StopIds, r.OnToken, s.Row);
            }
            else next = s.Generated.Choose(logits[b], r.Generator, r.StopIds, r.OnToken, s.Row);
            if (next is null) continue; // the constraint left no token: the row ended
            s.Pending = next;
            Interlocked.Increment(ref generatedTokens);
        }
    }

    /// <summary>Removes ended sequences from the batch and completes the requests whose sequences all ended.</summary>
    void FinishEnded()
    {
        for (int i = active - 1; i >= 0; i--)
            if (slots[i] is { } s && s.Generated.Finish is not null) Remove(s);
        foreach (var r in running.Where(r => r.AllFinished).ToList()) Finish(r, null);
    }

    void Finish(BatchedRequest r, Exception? error)
    {
        for (int i = active - 1; i >= 0; i--)
            if (slots[i] is { } s && s.Request == r) Remove(s);
        running.Remove(r);
        if (error is null) r.Succeed(); else r.Fail(error);
    }

    /// <summary>Frees a sequence's slot, keeping running sequences in slots 0..decoding-1 and joining ones right after.</summary>
    void Remove(SequenceSlot s)
    {
        int hole = s.Slot;
        if (hole < decoding)
        {
            Place(decoding - 1, hole);   // the last running sequence fills the hole
            hole = --decoding;
        }
        Place(active - 1, hole);         // the last joining one fills the gap left at the end of the running range
        slots[--active] = null;
    }

    void Place(int from, int to)
    {
        if (from == to) return;
        var moved = slots[from]!;
        cache.Move(from, to, moved.Cached);
        slots[to] = moved;
        moved.Slot = to;
        slots[from] = null;
    }

    void Swap(int a, int b)
    {
        if (a == b) return;
        cache.Swap(a, b, Math.Max(slots[a]!.Cached, slots[b]!.Cached));
        (slots[a], slots[b]) = (slots[b], slots[a]);
        slots[a]!.Slot = a;
        slots[b]!.Slot = b;
    }

    public void Dispose() => cache.Dispose();
}
