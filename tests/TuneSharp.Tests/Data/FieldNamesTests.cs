using TuneSharp.Data;

namespace TuneSharp.Tests.Data;

/// <summary>One role list and one With(role, name) serve recipes, predict --field and data validate --field.</summary>
public class FieldNamesTests
{
    [Fact]
    public void Every_role_renames_exactly_one_field()
    {
        var changed = new HashSet<FieldNames>();
        foreach (var role in FieldNames.Roles)
        {
            var f = FieldNames.Default.With(role, "custom");
            Assert.NotNull(f);
            Assert.NotEqual(FieldNames.Default, f);
            Assert.True(changed.Add(f!), role);
        }
        Assert.Null(FieldNames.Default.With("colour", "x"));
    }

    [Fact]
    public void Apply_accepts_field_suffixes_and_commas_and_suggests_roles()
    {
        var f = FieldNames.Default.Apply(["text_field=body", "source=de,target=en"], "--field");
        Assert.Equal(("body", "de", "en"), (f.Text, f.Source, f.Target));
        var e = Assert.Throws<UserError>(() => FieldNames.Default.Apply(["txt=body"], "--field"));
        Assert.Equal("--field 'txt=body': unknown role 'txt' (did you mean 'text'?)", e.Message);
    }
}
