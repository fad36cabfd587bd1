using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace TuneSharp.Server.Dashboard;

/// <summary>
/// The dashboard's API key: a browser gives it once as <c>?key=K</c> and then carries a same-site, HTTP-only
/// cookie; scripts may send <c>Authorization: Bearer K</c>. Compared in constant time.
/// </summary>
public static class DashboardAuth
{
    public const string Cookie = "tunesharp_dashboard_key";

    /// <summary>True when the request carries the key (header, cookie or query); sets the cookie on a query key.</summary>
    public static bool Check(HttpContext ctx, string key)
    {
        if (Same(ctx.Request.Headers.Authorization.ToString(), "Bearer " + key)) return true;
        if (ctx.Request.Cookies.TryGetValue(Cookie, out var c) && Same(c, key)) return true;
        if (ctx.Request.Query.TryGetValue("key", out var q) && Same(q.ToString(), key))
        {
            ctx.Response.Cookies.Append(Cookie, key, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
            return true;
        }
        return false;
    }

    /// <summary>True when the request carries the dashboard's cookie with the key (the playground's calls to /v1).</summary>
    public static bool HasCookie(HttpContext ctx, string key) =>
        ctx.Request.Cookies.TryGetValue(Cookie, out var c) && Same(c, key);

    static bool Same(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
