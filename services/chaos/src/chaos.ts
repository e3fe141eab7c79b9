console.log("chaos: not written yet");
