# Kubernetes docs: StatefulSet Basics (tutorial) and the StatefulSet concept page.
# Sources: https://kubernetes.io/docs/tutorials/stateful-application/basic-stateful-set/
#          https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/
#
# The tutorial's headless Service nginx and StatefulSet web (2 replicas, nginx-slim, a 1Gi
# `www` claim template). Documented outcomes: pods are created in order web-0 then web-1
# (web-1 only once web-0 is Running and Ready); each pod's hostname is its name; `kubectl get
# pvc -l app=nginx` shows www-web-0 and www-web-1 Bound, 1Gi, RWO; from a busybox pod
# `nslookup web-0.nginx` answers web-0's IP; a deleted pod comes back with the same name, DNS
# name and claim (and, here, a new IP); scaling down removes web-1 first and keeps its claim.
cat > web.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  ports:
  - port: 80
    name: web
  clusterIP: None
  selector:
    app: nginx
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: "nginx"
  replicas: 2
  minReadySeconds: 10
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.24
        ports:
        - containerPort: 80
          name: web
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ "ReadWriteOnce" ]
      resources:
        requests:
          storage: 1Gi
EOF
kubectl apply -f web.yaml
kubectl rollout status statefulset/web
kubectl get events --field-selector involvedObject.kind=StatefulSet -o jsonpath='{range .items[*]}{.message}{"\n"}{end}'
kubectl get pods -l app=nginx -o custom-columns=NAME:.metadata.name,HOSTNAME:.spec.hostname,SUBDOMAIN:.spec.subdomain
kubectl exec web-0 -- hostname
kubectl exec web-1 -- hostname
kubectl get pvc -l app=nginx -o custom-columns=NAME:.metadata.name,STATUS:.status.phase,CAPACITY:.status.capacity.storage,MODES:.spec.accessModes[0],CLASS:.spec.storageClassName
kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm
nslookup web-0.nginx
nslookup nginx
exit
kubectl delete pod -l app=nginx
kubectl rollout status statefulset/web
kubectl get pods -l app=nginx -o custom-columns=NAME:.metadata.name,READY:.status.containerStatuses[0].ready
kubectl get pod web-0 -o jsonpath='{.spec.volumes[0].persistentVolumeClaim.claimName}{"\n"}'
kubectl scale sts web --replicas=1
kubectl get pods -l app=nginx -o name
kubectl get pvc -l app=nginx -o name
# The concept page's "Pod identity / Start ordinal": ordinals.start 5 names the pods web-5.. .
cat > ordinals.yaml << EOF
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: "nginx"
  replicas: 2
  ordinals:
    start: 5
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: db
        image: registry.k8s.io/nginx-slim:0.24
EOF
kubectl apply -f ordinals.yaml
kubectl rollout status statefulset/db
kubectl get pods -l app=db -o name
