namespace TuneSharp.Models.Common;

/// <summary>
/// RoPE settings: <c>rope_theta</c> and the scaling type from <c>rope_scaling</c> (transformers 4.x)
/// or <c>rope_parameters</c> (transformers 5.x). Supported types: default, linear, llama3.
/// </summary>
public sealed record RopeScaling(
    string RopeType,
    double RopeTheta,
    double Factor = 1.0,
    double LowFreqFactor = 1.0,
    double HighFreqFactor = 4.0,
    int OriginalMaxPositionEmbeddings = 8192)
{
    /// <summary>Reads rope settings from a config, accepting both the 4.x and 5.x layouts.</summary>
    public static RopeScaling From(ConfigJson config, double defaultTheta)
    {
        var p = config.Object("rope_parameters") ?? config.Object("rope_scaling");
        string where = config.Has("rope_parameters") ? "rope_parameters" : "rope_scaling";
        double theta = (p is null ? null : config.DoubleOf(p, "rope_theta")) ?? config.Double("rope_theta", defaultTheta);
        if (p is null) return new RopeScaling("default", theta);
        string type = (p["rope_type"] ?? p["type"])?.GetValue<string>() ?? "default";
        double Num(string k, double d) => config.DoubleOf(p, k) ?? d;
        var scaling = new RopeScaling(type, theta,
            Num("factor", 1.0), Num("low_freq_factor", 1.0), Num("high_freq_factor", 4.0),
            (int)Num("original_max_position_embeddings", 8192));
        if (type is not ("default" or "linear" or "llama3"))
            throw new UserError($"{config.Path}: key '{where}.rope_type': '{type}' is not supported (supported: default, linear, llama3)");
        return scaling;
    }
}
