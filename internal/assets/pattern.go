package assets

// Pattern is one entry of the files input, as internal/inputs parses it: the
// files Match selects and how their assets are named and labelled.
type Pattern struct {
	Glob    string // doublestar pattern, "!" removed
	Exclude bool   // the entry started with "!"
	Label   string // from "path#label"; "" when none
	Name    string // from "path => name": the asset's name; "" = the file's own
}
