document.querySelectorAll('[role=tab]').forEach(function(t){t.addEventListener('click',function(e){e.preventDefault();});});
