"""Writes cases.tsv: Python's own str.format results for the checkpoint file-name subset that
vecgrad.nn.PyFormat implements (keras/src/callbacks/model_checkpoint.py formats its filepath with
filepath.format(epoch=epoch + 1, **logs)). Run: python3 make_cases.py > cases.tsv
Columns: template, kind of value (i = int, f = float, given as float.hex), value, expected output.
"""
specs = ["", ":02d", ":d", ":5d", ":+d", ":<4d", ":^6d", ":*>6d", ":03", ":.2f", ":.4f", ":.0f", ":#.0f", ":08.3f", ":+.3f",
         ": .2f", ":.2e", ":.4e", ":e", ":E", ":.3g", ":g", ":G", ":.1g", ":#.3g", ":.3", ":10.4", ":f", ":.1%", ":>10.2f",
         ":<10.2f", ":=+10.2f", ":^9.1f"]
ints = [0, 1, 7, 12, 123, -5, 100000]
floats = [0.0, -0.0, 0.125, 0.375, 2.5, 0.3241, 0.00012345, -0.004, 1.5e-7, 123456789.0, 1e16, 3.14159265358979,
          0.9999999, 99.995, 1e-5, 12345.678, float("inf"), float("nan"), -float("inf"), 5e-324, 0.1 + 0.2]
for s in specs:
    t = "w-{v" + s + "}"
    for v in ints:
        try:
            print(f"{t}\ti\t{v}\t{t.format(v=v)}")
        except ValueError:
            pass
    for v in floats:
        try:
            print(f"{t}\tf\t{v.hex()}\t{t.format(v=v)}")
        except ValueError:
            pass
