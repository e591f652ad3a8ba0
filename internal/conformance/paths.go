package conformance

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// LoadPaths reads one published description reduced to the paths under the
// given prefixes (and every component they reach), unpatched and without a
// router: for checking single answers against their schemas, as the
// emulator's git tests do. Each call reads the file again; callers cache the
// result.
func LoadPaths(name string, prefixes ...string) (*openapi3.T, error) {
	file, _, raw, err := readPruned(name, prefixes...)
	if err != nil {
		return nil, err
	}
	return loadReduced(file, raw)
}

// loadReduced loads a reduced description and checks it is still valid
// OpenAPI; the published examples are not what is tested, the schemas are.
func loadReduced(file string, raw map[string]any) (*openapi3.T, error) {
	data, err := json.Marshal(raw)
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("%s: load: %w", file, err)
	}
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("%s: the reduced description is not valid OpenAPI: %w", file, err)
	}
	return doc, nil
}
