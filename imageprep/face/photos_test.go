package face

import "image"

// facePhoto is a committed photograph with one frontal face whose box was
// measured by hand (hairline to chin, cheek to cheek) on the committed file.
type facePhoto struct {
	name string
	box  image.Rectangle
}

var facePhotos = []facePhoto{
	{"astronaut.jpg", image.Rect(183, 90, 266, 180)},
	{"grace_hopper.jpg", image.Rect(168, 150, 362, 322)},
}

// nonFacePhotos are committed photographs without a human face.
var nonFacePhotos = []string{
	"chelsea.jpg", // a cat's face
	"coffee.jpg",
	"rocket.jpg",
	"hubble.jpg",
	"brick.jpg",
	"coins.jpg",
}
