package face_test

import (
	"fmt"
	"image/jpeg"
	"os"

	"headshot/imageprep/face"
)

func ExampleFind() {
	f, err := os.Open("../testdata/faces/grace_hopper.jpg")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	img, err := jpeg.Decode(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	ds := face.Find(img)
	if len(ds) == 0 || ds[0].Score < face.Confident {
		fmt.Println("no confident face: use a saliency crop")
		return
	}
	fmt.Println(len(face.People(ds)), "person, face at", ds[0].Rect)
	// Output: 1 person, face at (143,137)-(382,350)
}
